import { hash, randomBytes } from 'node:crypto';

/** Keys look like "esg_<43 base64url chars>": a prefix secret scanners can find, 256 random bits. */
export function generateApiKey(): string {
  return `esg_${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(key: string): string {
  // The one-shot form: a third of createHash's cost, and it runs on every request.
  return hash('sha256', key, 'hex');
}

/** Extracts the key from "Bearer <key>"; null when absent or malformed. */
export function parseBearer(header: string | undefined | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S{8,200})\s*$/i.exec(header);
  return match ? match[1] : null;
}
