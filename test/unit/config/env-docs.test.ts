import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../src/config';

const ROOT = path.join(__dirname, '..', '..', '..');
const PROVIDER_PREFIX = /(?<=^|_)(ESIMACCESS|CONNECTEDYOU|COMIUM|ESIMPLATFORM|ESIMTRADE)(?=_|$)/;

/** Every variable the gateway reads, recorded by reading an empty environment through a proxy. */
function variablesRead(): string[] {
  const seen = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get: (_target, name) => {
      if (typeof name === 'string') seen.add(name);
      return undefined;
    },
  });
  loadConfig(env);
  return [...seen].sort();
}

describe('every environment variable is documented', () => {
  const names = variablesRead();

  it('reads a plausible set (the proxy sees the reads)', () => {
    expect(names).toEqual(
      expect.arrayContaining(['PORT', 'DATABASE_URL', 'WEBHOOK_SECRET_COMIUM_PREVIOUS', 'SOCKETS_PER_KEY']),
    );
  });

  it.each([['.env.example'], ['README.md']])('in %s', (file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    // A per-provider family may be documented once, with <PROVIDER> standing for the prefix.
    const generic = (name: string) => name.replace(PROVIDER_PREFIX, '<PROVIDER>');
    const documented = (name: string) =>
      text.includes(name) || (PROVIDER_PREFIX.test(name) && text.includes(generic(name)));
    expect(names.filter((name) => !documented(name))).toEqual([]);
  });
});
