import { isProviderId, type ProviderId } from './provider';

/** Plan ids are "<providerId>:<provider's own code>"; the code may itself contain ':'. */
export function planGlobalId(providerId: ProviderId, code: string): string {
  return `${providerId}:${code}`;
}

export function parsePlanGlobalId(id: string): { providerId: ProviderId; code: string } | null {
  const sep = id.indexOf(':');
  if (sep <= 0 || sep === id.length - 1) return null;
  const providerId = id.slice(0, sep);
  return isProviderId(providerId) ? { providerId, code: id.slice(sep + 1) } : null;
}
