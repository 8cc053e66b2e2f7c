import { randomUUID } from 'node:crypto';
import { CallbackSender } from '../shared/callbacks';
import { entriesOf, refill, type Persistable } from '../shared/persistence';
import { maskUrl } from '../shared/webhook-mask';
import type { InventoryEvent, SimInventory, SimProfile } from '../shared/inventory';
import { SimFault } from './errors';
import { requiredText, type Params } from './params';
import { eidOf, wireStatus } from './profiles';
import type { Handler } from './state';

/**
 * eSIM Access webhooks (research §1.7): ONE URL per account, set with `webhook/save` and read
 * back with `webhook/query`. Deliveries are unsigned POSTs of
 * `{ notifyType, notifyId, eventGenerateTime, content }`; the only authentication a receiver has
 * is whatever secret it put in its own URL. Every notification goes out through the shared
 * `CallbackSender` (retries, duplicates, late deliveries) except the CHECK_HEALTH test of
 * `webhook/save`, which must be sent once and its outcome known before the URL is saved.
 */

/** The fixed content of the CHECK_HEALTH test delivery (research §1.7). */
export const CHECK_HEALTH_CONTENT = { orderNo: '1234567890', orderStatus: 'Test' } as const;
/** Longest URL `webhook/save` takes; the docs give none (ASSUMED, README). */
export const MAX_WEBHOOK_URL_LENGTH = 500;
/** How long the CHECK_HEALTH test waits for the receiver's 200 (ASSUMED). */
const CHECK_HEALTH_TIMEOUT_MS = 5000;
/** DATA_USAGE `remainThreshold` steps, as percent remaining (0.5 and 0.1 observed, 0.25 announced). */
const REMAIN_THRESHOLDS_PERCENT = [10, 25, 50] as const;
const DAY_MS = 24 * 60 * 60_000;
/** VALIDITY_USAGE: "about one day of validity left" (research §1.7). */
const VALIDITY_WARNING_MS = DAY_MS;
/** setTimeout's ceiling (~24.8 days): a later warning is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export type NotifyType =
  'CHECK_HEALTH' | 'ORDER_STATUS' | 'ESIM_STATUS' | 'SMDP_EVENT' | 'DATA_USAGE' | 'VALIDITY_USAGE';

/** Webhook times as the provider's samples print them: `2026-04-22T17:16:34Z` (seconds, UTC). */
export function notifyTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** One notification, serialized once so every retry and duplicate carries the same bytes. */
export function notification(notifyType: NotifyType, content: object, now = new Date()): string {
  // notifyId: 32 hex digits in the samples, the documented dedupe key.
  return JSON.stringify({
    notifyType,
    notifyId: randomUUID().replace(/-/g, ''),
    eventGenerateTime: notifyTime(now),
    content,
  });
}

interface WebhooksSnapshot {
  readonly url: string | null;
  readonly seq: number;
  readonly announced: [string, string][];
  readonly warnedExpiry: [string, number][];
}

export class SimWebhooks implements Persistable {
  private url: string | null = null;
  private readonly sender: CallbackSender;
  /** The esimStatus last announced per ICCID: ESIM_STATUS goes out when it changes, as the docs describe it. */
  private readonly announced = new Map<string, string>();
  /** SM-DP+ protocol sequence numbers of SMDP_EVENT. */
  private seq = 0;
  /** The expiry (ms) each ICCID was last warned about: one VALIDITY_USAGE per expiry, again after a top-up moves it. */
  private readonly warnedExpiry = new Map<string, number>();
  /** The pending validity check of each activated profile. */
  private readonly validityTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly inventory: SimInventory,
    chaos?: number,
  ) {
    this.sender = new CallbackSender({ chaos });
    inventory.on((event) => this.onEvent(event));
  }

  handlers(): Readonly<Record<string, Handler>> {
    return {
      '/api/v1/open/webhook/save': (params) => this.save(params),
      // obj `{ webhook }` as client libraries read it; null before any save; the URL's token masked (ASSUMED).
      '/api/v1/open/webhook/query': () => ({ webhook: this.url === null ? null : maskUrl(this.url) }),
    };
  }

  /** The saved URL and what was already announced, so a restart neither forgets the receiver nor repeats itself. */
  snapshot(): WebhooksSnapshot {
    const { url, seq, announced, warnedExpiry } = this;
    return { url, seq, announced: entriesOf(announced), warnedExpiry: entriesOf(warnedExpiry) };
  }

  /** After the inventory's restore: profiles in use get their validity clock again. */
  restore(data: unknown): void {
    const saved = data as WebhooksSnapshot;
    this.url = saved.url;
    this.sender.setTarget(saved.url === null ? null : { url: saved.url, headers: {} });
    this.seq = saved.seq;
    refill(this.announced, saved.announced);
    refill(this.warnedExpiry, saved.warnedExpiry);
    for (const timer of this.validityTimers.values()) clearTimeout(timer);
    this.validityTimers.clear();
    for (const profile of this.inventory.allProfiles()) this.watchValidity(profile);
  }

  dispose(): void {
    this.sender.dispose();
    for (const timer of this.validityTimers.values()) clearTimeout(timer);
    this.validityTimers.clear();
  }

  /**
   * Saving fires the CHECK_HEALTH test at once; a URL whose test does not answer 2xx is not
   * saved (research §1.7) and the call fails with 000108 (code ASSUMED). The previous URL stays.
   */
  private async save(params: Params): Promise<unknown> {
    const url = requiredText(params, 'webhook', MAX_WEBHOOK_URL_LENGTH);
    if (!isHttpUrl(url)) throw new SimFault('000107');
    if (!(await checkHealth(url))) throw new SimFault('000108');
    this.url = url;
    this.sender.setTarget({ url, headers: {} });
    return {};
  }

  private onEvent(event: InventoryEvent): void {
    this.announce(event);
    // Any change of a profile may start, move (a top-up) or end (expiry, revoke) its validity clock.
    if (event.type !== 'ORDER_ALLOCATED') this.watchValidity(event.profile);
  }

  private announce(event: InventoryEvent): void {
    switch (event.type) {
      case 'ORDER_ALLOCATED':
        // ORDER_STATUS names the order only: no ICCID (the receiver calls esim/query).
        for (const profile of event.order.profiles) this.announced.set(profile.iccid, 'GOT_RESOURCE');
        return this.send('ORDER_STATUS', {
          orderNo: event.order.id,
          orderStatus: 'GOT_RESOURCE',
          transactionId: event.order.key,
        });
      case 'PROFILE_STATE':
        // A first download is an SM-DP+ story (GOT_RESOURCE never appears in ESIM_STATUS);
        // INSTALLED reached by a resume is a lifecycle change like any other.
        if (event.profile.state === 'INSTALLED' && this.announced.get(event.profile.iccid) === 'GOT_RESOURCE')
          return this.installSteps(event.profile);
        return this.announceStatus(event.profile);
      case 'USAGE':
        // First use (IN_USE) or depletion (USED_UP) changes the status too.
        this.announceStatus(event.profile);
        return this.send('DATA_USAGE', dataUsage(event.profile, this.ids(event.profile)));
      case 'TOP_UP':
        // No notification of its own (ORDER_STATUS is "not sent for top-ups"); a top-up that
        // revives a depleted profile is a status change.
        return this.announceStatus(event.profile);
      default: {
        const never: never = event;
        throw new Error(`unhandled inventory event ${JSON.stringify(never)}`);
      }
    }
  }

  private announceStatus(profile: SimProfile): void {
    const [esim, smdpStatus] = wireStatus(profile);
    // The webhook table spells it REVOKED where esim/query says REVOKE (research §1.6).
    const esimStatus = esim === 'REVOKE' ? 'REVOKED' : esim;
    if (this.announced.get(profile.iccid) === esimStatus) return;
    this.announced.set(profile.iccid, esimStatus);
    this.send('ESIM_STATUS', { ...this.ids(profile), esimStatus, smdpStatus });
  }

  /**
   * VALIDITY_USAGE once a profile in use has about a day left: at once when the change that
   * called this leaves ≤ 1 day (a one-day pass on first use, a test moving `expiresAt`), else by
   * a timer at that moment. Validity runs from activation, so unused profiles are not watched.
   */
  private watchValidity(profile: SimProfile): void {
    clearTimeout(this.validityTimers.get(profile.iccid));
    this.validityTimers.delete(profile.iccid);
    if (profile.activatedAt === null || (profile.state !== 'IN_USE' && profile.state !== 'DEPLETED')) return;
    const left = profile.expiresAt.getTime() - Date.now();
    if (left <= 0) return;
    if (left > VALIDITY_WARNING_MS) {
      const timer = setTimeout(
        () => {
          this.validityTimers.delete(profile.iccid);
          // Read through the inventory so expiry is applied first.
          const current = this.inventory.profile(profile.iccid);
          if (current) this.watchValidity(current);
        },
        Math.min(left - VALIDITY_WARNING_MS, MAX_TIMER_MS),
      );
      timer.unref();
      this.validityTimers.set(profile.iccid, timer);
      return;
    }
    if (this.warnedExpiry.get(profile.iccid) === profile.expiresAt.getTime()) return;
    this.warnedExpiry.set(profile.iccid, profile.expiresAt.getTime());
    this.send('VALIDITY_USAGE', validityUsage(profile, this.ids(profile), left));
  }

  /** The documented install sequence DOWNLOAD → INSTALLATION → ENABLED, the last one "Executed-Success". */
  private installSteps(profile: SimProfile): void {
    const { iccid, orderNo, esimTranNo, transactionId } = this.ids(profile);
    const steps = [
      ['DOWNLOAD', null],
      ['INSTALLATION', null],
      ['ENABLED', 'Executed-Success'],
    ] as const;
    for (const [smdpStatus, notifyStatus] of steps) {
      const timestamp = notifyTime(new Date());
      const content = {
        iccid,
        eid: eidOf(profile),
        orderNo,
        esimTranNo,
        transactionId,
        esimStatus: 'GOT_RESOURCE',
        smdpStatus,
        timestamp,
        seqNumber: ++this.seq,
        notifyStatus,
      };
      this.send('SMDP_EVENT', content);
    }
  }

  private ids(profile: SimProfile): { iccid: string; orderNo: string; esimTranNo: string; transactionId: string } {
    return {
      iccid: profile.iccid,
      orderNo: profile.orderId,
      esimTranNo: profile.handle,
      transactionId: this.inventory.order(profile.orderId)?.key ?? '',
    };
  }

  private send(notifyType: NotifyType, content: object): void {
    this.sender.send(notification(notifyType, content));
  }
}

/**
 * DATA_USAGE content, bytes throughout. The real provider sends it only when a remaining-data
 * threshold is crossed, 1–3 h late; the simulator sends one for EVERY usage change so a gateway
 * sees each control-API change (README). `remainThreshold` is the lowest step reached, null above 50 %.
 */
export function dataUsage(profile: SimProfile, ids: object): object {
  const total = profile.totalBytes ?? 0;
  const remain = profile.totalBytes === null ? 0 : Math.max(total - profile.usedBytes, 0);
  // Integer comparison remain/total ≤ pct/100, no float division.
  const step = total > 0 ? REMAIN_THRESHOLDS_PERCENT.find((pct) => remain * 100 <= pct * total) : undefined;
  return {
    ...ids,
    totalVolume: total,
    orderUsage: profile.usedBytes,
    remain,
    remainThreshold: step === undefined ? null : step / 100,
    lastUpdateTime: notifyTime(profile.updatedAt),
  };
}

/**
 * VALIDITY_USAGE content as the published sample: ids, `remain` (whole days left, rounded up: the
 * sample says 1 with 23 h 59 min left), `totalDuration`, `durationUnit`, `expiredTime` (`…Z`).
 */
export function validityUsage(profile: SimProfile, ids: object, leftMs: number): object {
  return {
    ...ids,
    remain: Math.max(Math.ceil(leftMs / DAY_MS), 0),
    totalDuration: profile.validityDays,
    durationUnit: 'DAY',
    expiredTime: notifyTime(profile.expiresAt),
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** One POST of CHECK_HEALTH, no retry: the save waits for it. */
async function checkHealth(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: notification('CHECK_HEALTH', CHECK_HEALTH_CONTENT),
      signal: AbortSignal.timeout(CHECK_HEALTH_TIMEOUT_MS),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok;
  } catch {
    return false;
  }
}
