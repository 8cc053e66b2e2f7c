import { randomUUID } from 'node:crypto';
import type Keyv from 'keyv';
import type { Viewer } from '../../domain/account';
import type { AccountEntity } from '../../db/entities';

/** The shared cache key every instance compares its memo against. */
const EPOCH_KEY = 'accounts:auth-epoch';
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  readonly value: T;
  readonly epoch: string | undefined;
  readonly until: number;
}

/**
 * Short-lived memo of key hash → viewer (and the caller's account), so hot paths do not hit the
 * database per request. Each entry remembers the shared "auth epoch" (keyv: Redis when several
 * instances run) it was filled under; revoking a key, suspending an account or changing a markup
 * writes a new epoch, so every instance drops its memo at its next request instead of trusting
 * it for up to `ttlMs`. Reading the epoch costs one cache read per request, never a database one.
 */
export class AuthMemo {
  private readonly viewers = new Map<string, Entry<Viewer>>();
  private readonly keys = new Map<string, Entry<true>>();
  private readonly accounts = new Map<string, Entry<AccountEntity>>();

  constructor(
    private readonly shared: Keyv | null,
    private readonly ttlMs: number,
  ) {}

  /** The current epoch; undefined before any change (or while the shared cache is away). */
  async epoch(): Promise<string | undefined> {
    if (!this.shared) return undefined;
    try {
      return await this.shared.get<string>(EPOCH_KEY);
    } catch {
      // Unknowable: an epoch nobody filled under, so nothing memoized is trusted.
      return randomUUID();
    }
  }

  viewer(hash: string, epoch: string | undefined): Viewer | undefined {
    return fresh(this.viewers.get(hash), epoch);
  }

  keyLive(keyId: string, epoch: string | undefined): boolean {
    return fresh(this.keys.get(keyId), epoch) === true;
  }

  account(id: string, epoch: string | undefined): AccountEntity | undefined {
    return fresh(this.accounts.get(id), epoch);
  }

  remember(hash: string, viewer: Viewer, account: AccountEntity, epoch: string | undefined): void {
    const until = Date.now() + this.ttlMs;
    put(this.viewers, hash, { value: viewer, epoch, until });
    put(this.accounts, account.id, { value: account, epoch, until });
    if (viewer.keyId) put(this.keys, viewer.keyId, { value: true, epoch, until });
  }

  rememberKey(keyId: string, epoch: string | undefined): void {
    put(this.keys, keyId, { value: true, epoch, until: Date.now() + this.ttlMs });
  }

  /** Forgets everything here, and tells every other instance to, through the shared epoch. */
  async invalidate(): Promise<void> {
    this.clear();
    await this.shared?.set(EPOCH_KEY, randomUUID()).catch(() => undefined);
  }

  clear(): void {
    this.viewers.clear();
    this.keys.clear();
    this.accounts.clear();
  }
}

function fresh<T>(entry: Entry<T> | undefined, epoch: string | undefined): T | undefined {
  return entry && entry.until > Date.now() && entry.epoch === epoch ? entry.value : undefined;
}

function put<T>(map: Map<string, Entry<T>>, key: string, entry: Entry<T>): void {
  if (map.size > MAX_ENTRIES) map.clear();
  map.set(key, entry);
}
