import { createHmac } from 'node:crypto';
import type { Config } from '../../config';

export type WebhookSecretsConfig = Config['webhookSecrets'];

/**
 * Each provider's own webhook credential, so one leaked (a sandbox shows its callback URL, an
 * operator pastes one in a portal) authenticates that provider only, and a sandboxed provider
 * never holds what authenticates a live one.
 *
 * - current: WEBHOOK_SECRET_<PROVIDER>, else HMAC-SHA256(master, providerId) in base64url, where
 *   the master is WEBHOOK_SECRET or the one generated once and kept in the database;
 * - accepted: the current one plus, during a rotation, WEBHOOK_SECRET_<PROVIDER>_PREVIOUS and the
 *   one derived from WEBHOOK_SECRET_PREVIOUS. Registration always uses the current one.
 */
export class WebhookCredentials {
  private readonly memo = new Map<string, { current: string; accepted: readonly string[] }>();

  /** Throws, naming the variables, when two providers were configured with the same credential. */
  constructor(
    private readonly configured: WebhookSecretsConfig,
    private readonly master: () => Promise<string>,
  ) {
    assertNoSharedCredential(configured);
  }

  async current(providerId: string): Promise<string> {
    return (await this.of(providerId)).current;
  }

  async accepted(providerId: string): Promise<readonly string[]> {
    return (await this.of(providerId)).accepted;
  }

  private async of(providerId: string): Promise<{ current: string; accepted: readonly string[] }> {
    const known = this.memo.get(providerId);
    if (known) return known;
    const own = this.configured.perProvider[providerId as keyof WebhookSecretsConfig['perProvider']];
    const current = own?.current ?? deriveWebhookSecret(await this.master(), providerId);
    const previousMaster = this.configured.previousMaster;
    const previous = [own?.previous ?? null, previousMaster ? deriveWebhookSecret(previousMaster, providerId) : null];
    const entry = { current, accepted: [...new Set([current, ...previous.filter((s): s is string => s !== null)])] };
    this.memo.set(providerId, entry);
    return entry;
  }
}

/** A provider's credential derived from a master secret: unrelated to every other provider's. */
export function deriveWebhookSecret(master: string, providerId: string): string {
  return createHmac('sha256', master).update(providerId, 'utf8').digest('base64url');
}

/** Derived credentials differ by construction; configured ones could be pasted twice. */
function assertNoSharedCredential(configured: WebhookSecretsConfig): void {
  const owners = new Map<string, { id: string; name: string }>();
  const clashes: string[] = [];
  for (const [id, own] of Object.entries(configured.perProvider)) {
    const prefix = `WEBHOOK_SECRET_${id.toUpperCase()}`;
    for (const [name, value] of [
      [prefix, own.current],
      [`${prefix}_PREVIOUS`, own.previous],
    ] as const) {
      if (value === null) continue;
      const first = owners.get(value);
      if (!first) owners.set(value, { id, name });
      else if (first.id !== id) clashes.push(`${first.name} = ${name}`);
    }
  }
  if (clashes.length)
    throw new Error(`Invalid configuration: one webhook secret for several providers (${clashes.join(', ')})`);
}
