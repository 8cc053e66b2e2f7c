import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';

/**
 * One piece of a simulator's state that outlives a restart. `restore` must replace the piece's
 * whole state (not merge into it): a file that fails half-way is undone by restoring every piece
 * from the snapshot it had before loading.
 */
export interface Persistable {
  snapshot(): unknown;
  restore(data: unknown): void;
}

/** Loads a simulator's saved state at start, then saves it after changes. */
export interface SimulatorStateStore {
  /** Something changed: save soon (coalesced, at most every SAVE_DELAY_MS). */
  readonly changed: () => void;
  /** Middleware, mounted first: every request that may write (not GET/HEAD) counts as a change once answered. */
  watch(): (req: Request, res: Response, next: NextFunction) => void;
  /** Writes what is pending, synchronously; later saves are dropped. Call from the simulator's dispose(). */
  close(): void;
}

/** Bump when a snapshot's shape changes incompatibly: an older file is then set aside, not misread. */
const FORMAT_VERSION = 1;
const SAVE_DELAY_MS = 150;

const MEMORY_ONLY: SimulatorStateStore = {
  changed: () => undefined,
  watch: () => (_req, _res, next) => next(),
  close: () => undefined,
};

/**
 * What a restart keeps is what a real provider keeps for an account: orders, profiles, usage,
 * top-ups, the balance, idempotency keys, references, webhook settings, id sequences. Not kept,
 * like a provider's own restart would not: access tokens and signing keys (callers log in again),
 * rate-limit windows, request counters, faults and holds (the control API's experiments), and
 * webhook deliveries still queued for retry.
 *
 * `<stateDir>/sandbox/<id>.json`, restored into `parts` (in their order: the inventory before what
 * refers to it). Without `stateDir` the simulator is memory only, as before. A file that cannot be
 * read or restored must not stop the sandbox: it is renamed `.corrupt-<ms>` (kept for a look),
 * a warning is emitted and the simulator starts fresh.
 */
export function openSimulatorState(
  stateDir: string | undefined,
  id: string,
  parts: Readonly<Record<string, Persistable>>,
): SimulatorStateStore {
  if (stateDir === undefined) return MEMORY_ONLY;
  const file = path.join(stateDir, 'sandbox', `${id}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  removeStaleTemps(file);
  load(file, parts);
  return new FileStore(file, parts);
}

function load(file: string, parts: Readonly<Record<string, Persistable>>): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    return setAside(file, error);
  }
  const fresh = Object.fromEntries(Object.entries(parts).map(([name, part]) => [name, part.snapshot()]));
  try {
    const saved = decode(text) as { version?: unknown; parts?: Record<string, unknown> };
    if (saved?.version !== FORMAT_VERSION || typeof saved.parts !== 'object' || saved.parts === null)
      throw new Error(`unknown format (version ${String(saved?.version)})`);
    for (const [name, part] of Object.entries(parts)) if (name in saved.parts) part.restore(saved.parts[name]);
  } catch (error) {
    for (const [name, part] of Object.entries(parts)) part.restore(fresh[name]);
    setAside(file, error);
  }
}

/** Temp files a process left when it died mid-save: never the state itself, so dropped. */
function removeStaleTemps(file: string): void {
  const prefix = `${path.basename(file)}.`;
  for (const name of readdirSync(path.dirname(file)))
    if (name.startsWith(prefix) && name.endsWith('.tmp')) tryUnlink(path.join(path.dirname(file), name));
}

function tryUnlink(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}

function setAside(file: string, error: unknown): void {
  const aside = `${file}.corrupt-${Date.now()}`;
  try {
    renameSync(file, aside);
  } catch {
    // Unreadable and immovable: it is overwritten by the next save.
  }
  process.emitWarning(
    `sandbox state ${file} not restored (${(error as Error).message}); kept as ${aside}, starting fresh`,
    {
      code: 'SANDBOX_STATE',
    },
  );
}

class FileStore implements SimulatorStateStore {
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  /** The temp file of the async save in flight, if any. */
  private writing: string | null = null;
  private closed = false;
  private failing = false;
  private tmpSeq = 0;

  constructor(
    private readonly file: string,
    private readonly parts: Readonly<Record<string, Persistable>>,
  ) {}

  readonly changed = (): void => {
    this.dirty = true;
    this.schedule();
  };

  watch() {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (req.method !== 'GET' && req.method !== 'HEAD') res.once('finish', this.changed);
      next();
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // An async save still in flight holds an older snapshot: its temp file goes, and it skips its rename.
    const inFlight = this.writing;
    if (inFlight !== null) tryUnlink(inFlight);
    if (!this.dirty && inFlight === null) return;
    const tmp = this.tmpName();
    try {
      writeFileSync(tmp, this.text());
      renameSync(tmp, this.file);
      this.dirty = false;
    } catch (error) {
      // dispose() must not throw on the way out: the last saved file stays as it was.
      tryUnlink(tmp);
      this.warn(error);
    }
  }

  private schedule(): void {
    if (this.closed || this.timer || this.writing !== null) return;
    this.timer = setTimeout(() => void this.save(), SAVE_DELAY_MS);
    // A pending save must not keep a process (or a test run) alive; close() writes it anyway.
    this.timer.unref();
  }

  /**
   * Serializes now, writes a temp file off the event loop, then renames it over the state file.
   * The rename is synchronous so it cannot land after close()'s own final write.
   */
  private async save(): Promise<void> {
    this.timer = null;
    this.dirty = false;
    const tmp = this.tmpName();
    this.writing = tmp;
    try {
      await writeFile(tmp, this.text());
      if (this.closed) tryUnlink(tmp);
      else renameSync(tmp, this.file);
      this.failing = false;
    } catch (error) {
      if (!this.closed) {
        this.dirty = true;
        this.warn(error);
      }
    } finally {
      this.writing = null;
    }
    if (this.dirty) this.schedule();
  }

  /** Once per run of failures (a full disk would otherwise warn every SAVE_DELAY_MS). */
  private warn(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    process.emitWarning(`sandbox state ${this.file} not saved: ${(error as Error).message}`, { code: 'SANDBOX_STATE' });
  }

  private text(): string {
    const parts = Object.fromEntries(Object.entries(this.parts).map(([name, part]) => [name, part.snapshot()]));
    return encode({ version: FORMAT_VERSION, savedAt: new Date(), parts });
  }

  private tmpName(): string {
    return `${this.file}.${process.pid}.${++this.tmpSeq}.tmp`;
  }
}

/**
 * A piece that is one plain mutable object (settings, a profile form): saved as a shallow copy,
 * restored by assigning its fields back, so every holder of the object sees them.
 */
export function plainPart<T extends object>(target: T): Persistable {
  const initial = { ...target };
  return {
    snapshot: () => ({ ...target }),
    restore: (data) => Object.assign(target, initial, data as Partial<T>),
  };
}

/** Entries of a Map as a JSON array; the pair of `entriesOf`. */
export function entriesOf<K, V>(map: ReadonlyMap<K, V>): [K, V][] {
  return [...map];
}

/** Refills `map` from a snapshot's entries (replacing what it held). */
export function refill<K, V>(map: Map<K, V>, entries: unknown): void {
  map.clear();
  for (const [key, value] of entries as [K, V][]) map.set(key, value);
}

/**
 * JSON with Dates kept as Dates: each is written `{ "$date": iso }` and revived on read. Tagging
 * (rather than reviving every ISO-looking string) leaves user text such as a reference that looks
 * like a timestamp a string.
 */
export function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, encoded) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.toISOString() } : encoded;
  });
}

export function decode(text: string): unknown {
  return JSON.parse(text, (_key, value) =>
    value !== null && typeof value === 'object' && typeof value.$date === 'string' && Object.keys(value).length === 1
      ? new Date(value.$date)
      : value,
  );
}
