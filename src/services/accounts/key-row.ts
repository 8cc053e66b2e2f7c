import { randomUUID } from 'node:crypto';
import type { ApiKeyEntity } from '../../db/entities';
import { hashApiKey } from './api-keys';

/** Characters of a key kept in clear to tell keys apart: "esg_" and 48 of its 256 random bits. */
export const KEY_PREFIX_LENGTH = 12;

export function keyRow(accountId: string, key: string, kind: string): ApiKeyEntity {
  return {
    id: randomUUID(),
    accountId,
    keyHash: hashApiKey(key),
    prefix: key.slice(0, KEY_PREFIX_LENGTH),
    kind,
    createdAt: new Date(),
    lastUsedAt: null,
    revokedAt: null,
  };
}
