/** `<command> --flag value …` → command and flags; a flag without a value is refused. */
export function parseArgs(argv: readonly string[]): { command: string | undefined; flags: Map<string, string> } {
  const [command, ...rest] = argv;
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const name = rest[i];
    const value = rest[i + 1];
    if (!name.startsWith('--') || value === undefined || value.startsWith('--'))
      throw new UsageError(`Expected "--name value", got "${name}".`);
    flags.set(name.slice(2), value);
  }
  return { command, flags };
}

export class UsageError extends Error {}

export const USAGE = `Usage: npm run accounts -- <command>
  create --name <name> [--markup <percent>] [--role RESELLER|ADMIN]
                             prints the account id and its API key (shown once)
  list [--search <text>]     one account per line: id, name, role, markup, status
  rotate-key --account <id>  issues a new key, revokes the account's older ones, prints the new key`;
