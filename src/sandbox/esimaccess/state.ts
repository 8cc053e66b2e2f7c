import type { SimulatorControl } from '../shared/control';
import type { SimInventory } from '../shared/inventory';
import type { SimCatalog } from './catalog';
import type { Params } from './params';
import type { SlidingWindow } from './rate-limit';
import type { SimWebhooks } from './webhooks';

export interface EsimAccessState {
  readonly catalog: SimCatalog;
  readonly control: SimulatorControl;
  readonly secrets: ReadonlyMap<string, string>;
  readonly limiter: SlidingWindow;
  /** Orders, profiles, top-ups and the balance they draw on. */
  readonly inventory: SimInventory;
  /** The account's one webhook URL and the notifications sent to it. */
  readonly webhooks: SimWebhooks;
}

/** One endpoint: answers (or resolves) the envelope's `obj`, or throws a `SimFault` with the provider's code. */
export type Handler = (params: Params) => unknown;
