import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import type { Logger } from 'pino';
import {
  ProviderError,
  ProviderRateLimitedError,
  ProviderUnavailableError,
  isRetryableProviderError,
} from '../../domain/errors';
import type { ProviderHealth, ProviderId } from '../../domain/provider';
import { SlidingWindowLimiter, sleep, type RateLimiter, type SharedLimits } from './rate-limiter';

/** Tuning of one provider's client; defaults in `DEFAULT_UPSTREAM_POLICY`. */
export interface UpstreamPolicy {
  /**
   * Deadline of one call: its attempts and the waits between them, counted from the first attempt's
   * rate-limit slot. A retry that could not start before it is not made. Node's fetch would
   * otherwise wait 300 s for headers.
   */
  readonly timeoutMs: number;
  /** Client-side limit: at most `limit` call starts in any sliding `windowMs` (eSIM Access: 8 per 1000 ms). */
  readonly rateLimit: { readonly limit: number; readonly windowMs: number };
  /** Longest a call may queue for the rate limit before failing RATE_LIMITED. */
  readonly maxQueueMs: number;
  /** Attempts for retryable calls (1 = no retry). 5 keeps reads ≥ 99.7 % successful at a 30 % error rate. */
  readonly maxAttempts: number;
  /** Backoff before retry n is uniform in [0, min(retryMaxMs, retryBaseMs × 2^n)]; a Retry-After answer waits that long plus up to retryBaseMs. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Consecutive failed calls (each after its retries) that open the circuit. */
  readonly breakerThreshold: number;
  /** How long the circuit stays open before a half-open probe. */
  readonly halfOpenAfterMs: number;
  /** Where the rate limit is counted: absent, in this process alone; set by the registry with REDIS_URL. */
  readonly sharedLimits?: SharedLimits;
}

export const DEFAULT_UPSTREAM_POLICY: UpstreamPolicy = {
  timeoutMs: 8000,
  rateLimit: { limit: 20, windowMs: 1000 },
  maxQueueMs: 5000,
  maxAttempts: 5,
  retryBaseMs: 50,
  retryMaxMs: 2000,
  breakerThreshold: 3,
  halfOpenAfterMs: 10_000,
};

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface UpstreamRequest {
  readonly method: HttpMethod;
  /** Path relative to the base URL, starting with '/'. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Serialized once as JSON, so a signature over it matches the bytes sent. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** True for reads and for writes protected by the provider's own idempotency key. */
  readonly idempotent: boolean;
  /** Short name for logs and metrics, e.g. "package/list". */
  readonly operation: string;
  readonly signal?: AbortSignal;
}

/** What the hooks see of an attempt: the final URL and the exact body string. */
export interface PreparedRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  readonly path: string;
  readonly bodyText: string;
  readonly operation: string;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  readonly json: unknown;
}

export interface UpstreamHooks {
  /** Headers carrying credentials, computed per attempt (fresh timestamps, nonces, tokens). */
  authorize?(request: PreparedRequest): Promise<Record<string, string>> | Record<string, string>;
  /**
   * Turns a response into a provider error, or null when it is a success for the caller to read.
   * Default: 429 → RATE_LIMITED, 5xx → PROVIDER_UNAVAILABLE, others returned. Provider clients add
   * their envelope codes here (e.g. eSIM Access 900001 "busy" → retryable).
   */
  classify?(response: UpstreamResponse, request: PreparedRequest): ProviderError | null;
}

/** Receives one record per attempt, for metrics and traces. */
export type UpstreamObserver = (event: {
  provider: ProviderId;
  operation: string;
  /** The HTTP status of a response handed to the adapter, or the error code of a failed attempt. */
  outcome: string;
  durationMs: number;
  /** True when no retry follows: this attempt's outcome is the whole call's. */
  final: boolean;
}) => void;

/**
 * The one HTTP client every adapter uses. Per provider it owns a rate limiter, a circuit breaker
 * (opened only by infrastructure failures, never by business refusals) and the health record.
 * Error messages and logs carry the operation name and status only: never the URL, headers or
 * body, which may hold credentials.
 */
export class UpstreamHttpClient {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly limiter: RateLimiter;
  private lastError: { message: string; at: number } | null = null;
  private lastSuccessAt = 0;

  constructor(
    readonly providerId: ProviderId,
    private readonly baseUrl: string,
    private readonly policy: UpstreamPolicy,
    private readonly logger: Logger,
    private readonly hooks: UpstreamHooks = {},
    private readonly observe: UpstreamObserver = () => undefined,
  ) {
    this.breaker = circuitBreaker(
      handleWhen((e) => e instanceof ProviderUnavailableError),
      {
        halfOpenAfter: policy.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(policy.breakerThreshold),
      },
    );
    const local = new SlidingWindowLimiter(
      providerId,
      policy.rateLimit.limit,
      policy.rateLimit.windowMs,
      policy.maxQueueMs,
    );
    this.limiter =
      policy.sharedLimits?.starts(providerId, { ...policy.rateLimit, maxQueueMs: policy.maxQueueMs }, local) ?? local;
  }

  /**
   * Sends a request through the breaker, with retries (if `idempotent`) and the rate limit. The
   * breaker sees whole calls, not attempts: a provider failing 30 % of requests would otherwise
   * string five failed attempts together every few hundred and be cut off while it mostly works.
   */
  async request(request: UpstreamRequest): Promise<UpstreamResponse> {
    try {
      return await this.breaker.execute(() => this.withRetries(request));
    } catch (error) {
      if (!(error instanceof BrokenCircuitError)) throw error;
      const open = new ProviderUnavailableError(this.providerId, 'CIRCUIT_OPEN');
      this.failed(request, open, Date.now(), true);
      throw open;
    }
  }

  /** Health as this process sees it: DOWN while the circuit is open, DEGRADED after a recent failure. */
  health(): ProviderHealth {
    const state = this.breaker.state;
    const circuitOpen = state === CircuitState.Open || state === CircuitState.Isolated;
    const recentFailure =
      this.lastError !== null && this.lastError.at > this.lastSuccessAt && Date.now() - this.lastError.at < 60_000;
    return {
      status: circuitOpen ? 'DOWN' : recentFailure || state === CircuitState.HalfOpen ? 'DEGRADED' : 'UP',
      circuitOpen,
      lastError: this.lastError?.message ?? null,
    };
  }

  private async withRetries(request: UpstreamRequest): Promise<UpstreamResponse> {
    const call: { deadline: number | null } = { deadline: null };
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      try {
        return await this.attempt(request, call, started);
      } catch (error) {
        const attempts = request.idempotent ? this.policy.maxAttempts : 1;
        const delay = attempt < attempts && !request.signal?.aborted ? this.retryDelayMs(attempt, error) : null;
        // A retry that cannot start before the deadline (or before Retry-After allows) is not made.
        if (delay === null || call.deadline === null || Date.now() + delay >= call.deadline) {
          this.failed(request, error, started, true);
          throw error;
        }
        this.failed(request, error, started, false);
        await sleep(delay, request.signal);
      }
    }
  }

  private async attempt(
    request: UpstreamRequest,
    call: { deadline: number | null },
    started: number,
  ): Promise<UpstreamResponse> {
    const prepared = this.prepare(request);
    await this.limiter.acquire(request.signal);
    call.deadline ??= Date.now() + this.policy.timeoutMs;
    const response = await this.send(prepared, request, call.deadline);
    this.lastSuccessAt = Date.now();
    this.observe({
      provider: this.providerId,
      operation: request.operation,
      outcome: String(response.status),
      durationMs: Date.now() - started,
      final: true,
    });
    return response;
  }

  /** Records a failed attempt; `final` when no retry follows, so the call itself failed. */
  private failed(request: UpstreamRequest, error: unknown, started: number, final: boolean): void {
    if (!(error instanceof ProviderError)) return;
    if (error instanceof ProviderUnavailableError || error instanceof ProviderRateLimitedError) {
      this.lastError = { message: error.message, at: Date.now() };
    }
    this.observe({
      provider: this.providerId,
      operation: request.operation,
      outcome: error.code,
      durationMs: Date.now() - started,
      final,
    });
    this.logger.warn(
      { provider: this.providerId, operation: request.operation, code: error.code },
      'upstream call failed',
    );
  }

  private prepare(request: UpstreamRequest): PreparedRequest {
    const url = new URL(this.baseUrl.replace(/\/$/, '') + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const bodyText = request.body === undefined ? '' : JSON.stringify(request.body);
    return { method: request.method, url, path: request.path, bodyText, operation: request.operation };
  }

  private async send(prepared: PreparedRequest, request: UpstreamRequest, deadline: number): Promise<UpstreamResponse> {
    const timeout = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    let res: Response;
    try {
      const auth = (await this.hooks.authorize?.(prepared)) ?? {};
      res = await fetch(prepared.url, {
        method: prepared.method,
        headers: {
          accept: 'application/json',
          ...(prepared.bodyText ? { 'content-type': 'application/json' } : {}),
          ...request.headers,
          ...auth,
        },
        body: prepared.method === 'GET' ? undefined : prepared.bodyText,
        signal,
      });
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      if (timeout.aborted) throw new ProviderUnavailableError(this.providerId, 'TIMEOUT');
      if (request.signal?.aborted) throw request.signal.reason;
      throw new ProviderUnavailableError(this.providerId, 'NETWORK');
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      throw new ProviderUnavailableError(this.providerId, timeout.aborted ? 'TIMEOUT' : 'NETWORK');
    }
    const response: UpstreamResponse = { status: res.status, headers: res.headers, text, json: parseJson(text) };
    const classified = this.hooks.classify?.(response, prepared) ?? defaultClassify(this.providerId, response);
    if (classified) {
      // A 503 may say when to come back too; the classifiers only give 429s a `retryAfterMs`.
      const hint = retryAfterMs(response.headers);
      if (hint !== undefined) retryAfterHints.set(classified, hint);
      throw classified;
    }
    return response;
  }

  /** Null when the error is not worth retrying. */
  private retryDelayMs(attempt: number, error: unknown): number | null {
    // Our own rejected credentials will not get better by retrying now.
    if (!isRetryableProviderError(error) || (error instanceof ProviderUnavailableError && error.reason === 'AUTH'))
      return null;
    const hint =
      (error instanceof ProviderRateLimitedError ? error.retryAfterMs : undefined) ??
      retryAfterHints.get(error as object);
    // Retry-After is a floor; the jitter on top keeps clients told the same second from coming back together.
    if (hint !== undefined) return hint + Math.random() * this.policy.retryBaseMs;
    // Full jitter (AWS Builders' Library): uniform in [0, min(cap, base × 2^attempt)].
    return Math.random() * Math.min(this.policy.retryMaxMs, this.policy.retryBaseMs * 2 ** attempt);
  }
}

/** Retry-After of a failed response whose error class has no field for it. */
const retryAfterHints = new WeakMap<object, number>();

export function defaultClassify(providerId: string, response: UpstreamResponse): ProviderError | null {
  if (response.status === 429) return new ProviderRateLimitedError(providerId, retryAfterMs(response.headers));
  if (response.status >= 500) return new ProviderUnavailableError(providerId, 'SERVER_ERROR');
  return null;
}

/** Retry-After in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
