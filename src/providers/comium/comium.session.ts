import type { Logger } from 'pino';
import { ProviderUnavailableError } from '../../domain/errors';
import type { UpstreamRequest, UpstreamResponse } from '../http/upstream-client';
import type { ComiumLoginResponse, ComiumRefreshResponse } from './comium.types';

export const LOGIN_PATH = '/Agent/login';
export const REFRESH_PATH = '/Token/Refresh';

/** One logged-in session; expiry times are already shortened by the renewal margin. */
export interface ComiumSession {
  readonly accessToken: string;
  readonly renewAt: number;
  readonly refreshToken: string;
  readonly refreshUsableUntil: number;
  /** The reseller's `show_global_esim_bundles` flag from the login answer. */
  readonly globalEsimEnabled: boolean;
}

/**
 * Comium's token lifecycle: login once, renew through `/Token/Refresh` shortly before the access
 * token expires (or after a 401/403), and log in again only when the refresh token is refused.
 * Refresh tokens rotate (single use), so concurrent callers share one in-flight renewal.
 */
export class ComiumSessionManager {
  private current: ComiumSession | null = null;
  private pending: Promise<ComiumSession> | null = null;

  constructor(
    private readonly providerId: string,
    private readonly http: { request(request: UpstreamRequest): Promise<UpstreamResponse> },
    private readonly credentials: { readonly username: string; readonly password: string },
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The access token to send now, if any (read per attempt by `hooks.authorize`). */
  accessToken(): string | null {
    return this.current?.accessToken ?? null;
  }

  /** A usable session, renewing it first when due. The caller's signal only stops its own wait. */
  get(signal?: AbortSignal): Promise<ComiumSession> {
    const session = this.current;
    if (session && this.now() < session.renewAt) return Promise.resolve(session);
    if (!this.pending) {
      this.pending = this.renew(session).finally(() => {
        this.pending = null;
      });
    }
    return signal ? abortable(this.pending, signal) : this.pending;
  }

  /** Marks a session's access token as refused, so the next `get` renews it (once per session). */
  expire(session: ComiumSession): void {
    if (this.current === session) this.current = { ...session, renewAt: 0 };
  }

  clear(): void {
    this.current = null;
  }

  private async renew(previous: ComiumSession | null): Promise<ComiumSession> {
    let next: ComiumSession | null = null;
    if (previous && this.now() < previous.refreshUsableUntil) next = await this.refresh(previous);
    next ??= await this.login();
    this.current = next;
    return next;
  }

  private async login(): Promise<ComiumSession> {
    // Idempotent: a lost answer only costs a second session, and 5xx/429 deserve a retry; refused
    // credentials come back as a plain 401 (see classifyComium) and are never retried.
    const response = await this.http.request({
      method: 'POST',
      path: LOGIN_PATH,
      body: this.credentials,
      idempotent: true,
      operation: 'agent/login',
    });
    if (response.status < 200 || response.status >= 300) throw new ProviderUnavailableError(this.providerId, 'AUTH');
    const body = response.json as Partial<ComiumLoginResponse> | undefined;
    if (!hasTokens(body) || !isPositive(body.refresh_expires_in)) throw this.unexpected('agent/login');
    const refreshMs = body.refresh_expires_in * 1000;
    return this.session(
      body,
      this.now() + refreshMs - renewalMargin(refreshMs),
      body.show_global_esim_bundles === true,
    );
  }

  /** null when the refresh token is refused, so the caller logs in again. */
  private async refresh(previous: ComiumSession): Promise<ComiumSession | null> {
    // Not idempotent: the token is single use, so a blind retry would be refused anyway.
    const response = await this.http.request({
      method: 'POST',
      path: REFRESH_PATH,
      body: { refresh_token: previous.refreshToken },
      idempotent: false,
      operation: 'token/refresh',
    });
    if (response.status < 200 || response.status >= 300) {
      this.logger.info(
        { provider: this.providerId, status: response.status },
        'refresh token refused; logging in again',
      );
      return null;
    }
    const body = response.json as Partial<ComiumRefreshResponse> | undefined;
    if (!hasTokens(body)) throw this.unexpected('token/refresh');
    // The refresh answer has no refresh_expires_in: assume the rotated token keeps the old deadline.
    return this.session(body, previous.refreshUsableUntil, previous.globalEsimEnabled);
  }

  private session(body: TokenFields, refreshUsableUntil: number, globalEsimEnabled: boolean): ComiumSession {
    const accessMs = body.expires_in * 1000;
    return {
      accessToken: body.access_token,
      renewAt: this.now() + accessMs - renewalMargin(accessMs),
      refreshToken: body.refresh_token,
      refreshUsableUntil,
      globalEsimEnabled,
    };
  }

  private unexpected(operation: string): ProviderUnavailableError {
    return new ProviderUnavailableError(
      this.providerId,
      'SERVER_ERROR',
      `Provider ${this.providerId} answered ${operation} with an unexpected body.`,
    );
  }
}

interface TokenFields {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly expires_in: number;
}

function hasTokens<T extends Partial<TokenFields>>(body: T | undefined): body is T & TokenFields {
  return (
    typeof body?.access_token === 'string' &&
    body.access_token !== '' &&
    typeof body.refresh_token === 'string' &&
    body.refresh_token !== '' &&
    isPositive(body.expires_in)
  );
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** Renew 10% early, at most 30 s: clock skew and request time must not make us send a dead token. */
function renewalMargin(lifetimeMs: number): number {
  return Math.min(30_000, lifetimeMs * 0.1);
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
