import { createHash } from 'node:crypto';
import type { InventoryEvent, SimInventory, SimProfile } from '../shared/inventory';
import { entriesOf, refill, type Persistable } from '../shared/persistence';

/**
 * The device side of each simulated eSIM, kept apart from the plan (the shared inventory's
 * state): what a phone did with the profile, in ConnectedYou's PROFILE_LIFECYCLE words
 * (documented: DOWNLOADED, INSTALLED, ENABLED, DISABLED, DELETED), plus RELEASED before any
 * download (ASSUMED, the REST read's word for "no device yet"). A device reaches a state through
 * the documented order, so each step is one change (and one event):
 * - `POST /_control/install`: DOWNLOADED, INSTALLED;
 * - first data use (the plan starts at the first attach): up to ENABLED;
 * - revoked (the device removed the profile): DISABLED if it was enabled, then DELETED.
 * Suspension, expiry, depletion and cancellation are the plan's, so no device change.
 */

export type DeviceWord = 'RELEASED' | 'DOWNLOADED' | 'INSTALLED' | 'ENABLED' | 'DISABLED' | 'DELETED';

/** One step of a device, in the order it happened. */
export interface DeviceChange {
  readonly profile: SimProfile;
  readonly word: Exclude<DeviceWord, 'RELEASED'>;
  readonly eid: string;
  readonly at: Date;
}

const SETUP: readonly DeviceWord[] = ['RELEASED', 'DOWNLOADED', 'INSTALLED', 'ENABLED'];

export class DeviceSide implements Persistable {
  private readonly words = new Map<string, DeviceWord>();
  /** When each device last changed, so a later step never predates an earlier one. */
  private readonly lastAt = new Map<string, Date>();
  private readonly listeners: ((change: DeviceChange) => void)[] = [];

  /** Built before anything else listens to `inventory`, so its word is current when they read it. */
  constructor(inventory: SimInventory) {
    inventory.on((event) => this.onInventory(event));
  }

  on(listener: (change: DeviceChange) => void): void {
    this.listeners.push(listener);
  }

  word(iccid: string): DeviceWord {
    return this.words.get(iccid) ?? 'RELEASED';
  }

  /** The device's EID once a device downloaded the profile (32 digits, stable per ICCID), else null. */
  eid(iccid: string): string | null {
    return this.word(iccid) === 'RELEASED' ? null : eidOf(iccid);
  }

  /** What each device did is history no profile field holds (the REST read shows it): saved. */
  snapshot(): { words: [string, DeviceWord][]; lastAt: [string, Date][] } {
    return { words: entriesOf(this.words), lastAt: entriesOf(this.lastAt) };
  }

  restore(data: unknown): void {
    const saved = data as ReturnType<DeviceSide['snapshot']>;
    refill(this.words, saved.words);
    refill(this.lastAt, saved.lastAt);
  }

  private onInventory(event: InventoryEvent): void {
    if (event.type === 'ORDER_ALLOCATED' || event.type === 'TOP_UP') return;
    const { profile } = event;
    if (event.type === 'USAGE') {
      if (profile.activatedAt) this.advance(profile, 'ENABLED');
      return;
    }
    if (profile.state === 'INSTALLED') this.advance(profile, 'INSTALLED');
    else if (profile.state === 'REVOKED') this.remove(profile);
  }

  /** Forward along DOWNLOADED → INSTALLED → ENABLED, never back. */
  private advance(profile: SimProfile, target: DeviceWord): void {
    const from = SETUP.indexOf(this.word(profile.iccid));
    const to = SETUP.indexOf(target);
    if (from < 0) return; // disabled or deleted: set up again only by a new download, which the sandbox has not
    for (let i = from + 1; i <= to; i++) this.step(profile, SETUP[i] as DeviceChange['word']);
  }

  private remove(profile: SimProfile): void {
    const current = this.word(profile.iccid);
    if (current === 'RELEASED' || current === 'DELETED') return; // never on a device, or gone already
    if (current === 'ENABLED') this.step(profile, 'DISABLED');
    this.step(profile, 'DELETED');
  }

  /** Steps of one change are a millisecond apart, so their timestamps keep their order. */
  private step(profile: SimProfile, word: DeviceChange['word']): void {
    const previous = this.lastAt.get(profile.iccid);
    const at = new Date(Math.max(profile.updatedAt.getTime(), (previous?.getTime() ?? 0) + 1));
    this.words.set(profile.iccid, word);
    this.lastAt.set(profile.iccid, at);
    for (const listener of this.listeners) listener({ profile, word, eid: eidOf(profile.iccid), at });
  }
}

/** A made-up but stable EID: the published example's prefix (`89049032…`) and 24 digits from the ICCID. */
export function eidOf(iccid: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(iccid).digest('hex')}`)
    .toString()
    .slice(0, 24);
  return `89049032${digits}`;
}
