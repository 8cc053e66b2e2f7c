import { createHmac, randomUUID } from 'node:crypto';
import type { EsimAccessConfig } from '../../config/provider-config';
import { ProviderUnavailableError } from '../../domain/errors';
import type { ProviderHealth } from '../../domain/provider';
import type { AdapterDeps } from '../adapter-deps';
import type { SlotGate } from '../http/rate-limiter';
import {
  DEFAULT_UPSTREAM_POLICY,
  UpstreamHttpClient,
  type PreparedRequest,
  type UpstreamPolicy,
} from '../http/upstream-client';
import { classifyEsimAccessResponse, readEnvelope } from './esimaccess.errors';
import { ArrivalWindowGate } from './esimaccess.rate-gate';
import type {
  EsimAccessBalanceResult,
  EsimAccessLocationListResult,
  EsimAccessPackageListRequest,
  EsimAccessPackageListResult,
} from './esimaccess.types';

export const ESIMACCESS_ID = 'esimaccess' as const;

export interface PostOptions {
  readonly signal?: AbortSignal;
  /** Shape check of `obj`; a failed check is an unreadable answer (PROVIDER_UNAVAILABLE). */
  readonly valid?: (obj: Record<string, unknown>) => boolean;
  /** True for reads and for writes carrying `transactionId`: only those are retried. */
  readonly idempotent: boolean;
}

/** 8 requests per second, documented since v1.5 (seed 001 "Rate Limit"). */
export const ESIMACCESS_RATE_LIMIT = { limit: 8, windowMs: 1000 } as const;

/** hex(HMAC-SHA256(key = SecretKey, message = Timestamp + RequestID + AccessCode + raw body)), research §1.2. */
export function signEsimAccessRequest(
  secretKey: string,
  timestamp: string,
  requestId: string,
  accessCode: string,
  body: string,
): string {
  return createHmac('sha256', secretKey)
    .update(timestamp + requestId + accessCode + body)
    .digest('hex');
}

/** The raw eSIM Access endpoints: every call is a signed POST under `/api/v1/open` returning the envelope's `obj`. */
export class EsimAccessClient {
  private readonly http: UpstreamHttpClient;
  private readonly gate: SlotGate;

  constructor(
    private readonly config: EsimAccessConfig,
    deps: AdapterDeps,
  ) {
    const { sharedLimits, ...policy }: UpstreamPolicy = {
      ...DEFAULT_UPSTREAM_POLICY,
      rateLimit: ESIMACCESS_RATE_LIMIT,
      ...deps.policy,
    };
    this.http = new UpstreamHttpClient(
      ESIMACCESS_ID,
      config.baseUrl,
      // Without the shared limits: the gate's slots bound every call already, and a second count of
      // the same calls in Redis would halve the rate. The client's own limiter then only paces retries.
      policy,
      deps.logger,
      {
        authorize: (request) => this.sign(request),
        classify: (response) => classifyEsimAccessResponse(ESIMACCESS_ID, response),
      },
      deps.observe,
    );
    const local = new ArrivalWindowGate(
      ESIMACCESS_ID,
      policy.rateLimit.limit,
      policy.rateLimit.windowMs,
      policy.maxQueueMs,
    );
    // With REDIS_URL every instance draws on one 8/s budget; `local` serves while Redis is down.
    const limits = {
      ...policy.rateLimit,
      maxQueueMs: policy.maxQueueMs,
      leaseMs: policy.timeoutMs + policy.rateLimit.windowMs,
    };
    this.gate = sharedLimits?.arrivals(ESIMACCESS_ID, limits, local) ?? local;
  }

  /** `package/list`: the whole filtered catalog in one answer (no pagination). */
  listPackages(filter: EsimAccessPackageListRequest, signal?: AbortSignal): Promise<EsimAccessPackageListResult> {
    return this.post('package/list', filter, {
      idempotent: true,
      signal,
      valid: (obj) => Array.isArray(obj.packageList),
    });
  }

  /** `balance/query`: the prepaid balance in USD × 10 000. */
  queryBalance(signal?: AbortSignal): Promise<EsimAccessBalanceResult> {
    return this.post('balance/query', {}, { idempotent: true, signal, valid: (obj) => 'balance' in obj });
  }

  /** `location/list`: covered countries and multi-country areas. */
  listLocations(signal?: AbortSignal): Promise<EsimAccessLocationListResult> {
    return this.post(
      'location/list',
      {},
      { idempotent: true, signal, valid: (obj) => Array.isArray(obj.locationList) },
    );
  }

  /**
   * One signed POST to `/api/v1/open/<endpoint>`, answering the envelope's `obj`. Retried only
   * when `idempotent`. Without `valid`, any `obj` is accepted (actions answer `{}`).
   */
  async post<T>(endpoint: string, body: object, options: PostOptions): Promise<T> {
    const { signal, valid, idempotent } = options;
    const path = `/api/v1/open/${endpoint}`;
    const response = await this.gate.run(
      () => this.http.request({ method: 'POST', path, body, idempotent, operation: endpoint, signal }),
      signal,
    );
    const obj = readEnvelope(response.json)?.obj;
    if (!valid) return obj as T;
    if (typeof obj !== 'object' || obj === null || !valid(obj as Record<string, unknown>)) {
      throw new ProviderUnavailableError(
        ESIMACCESS_ID,
        'SERVER_ERROR',
        `Provider ${ESIMACCESS_ID} returned an unreadable ${endpoint} answer.`,
      );
    }
    return obj as T;
  }

  health(): ProviderHealth {
    return this.http.health();
  }

  dispose(): void {
    this.gate.dispose();
  }

  /** Signs the exact body string being sent, with a fresh timestamp (ms) and request id per attempt. */
  private sign(request: PreparedRequest): Record<string, string> {
    const timestamp = String(Date.now());
    const requestId = randomUUID().replace(/-/g, '');
    const { accessCode, secretKey } = this.config;
    return {
      'RT-AccessCode': accessCode,
      'RT-RequestID': requestId,
      'RT-Timestamp': timestamp,
      'RT-Signature': signEsimAccessRequest(secretKey, timestamp, requestId, accessCode, request.bodyText),
    };
  }
}
