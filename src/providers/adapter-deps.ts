import type { Logger } from 'pino';
import type { UpstreamObserver, UpstreamPolicy } from './http/upstream-client';

/** What every adapter factory receives besides its config slice. */
export interface AdapterDeps {
  readonly logger: Logger;
  /**
   * Overrides of the provider's default policy (timeouts in tests, limits from config). The
   * registry adds `sharedLimits` when REDIS_URL is set; without it each process counts alone.
   */
  readonly policy?: Partial<UpstreamPolicy>;
  readonly observe?: UpstreamObserver;
}
