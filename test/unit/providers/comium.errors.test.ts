import { ProviderRateLimitedError, ProviderRejectedError, ProviderUnavailableError } from '../../../src/domain/errors';
import type { UpstreamResponse } from '../../../src/providers/http/upstream-client';
import { COMIUM_ERRORS, classifyComium } from '../../../src/providers/comium/comium.errors';

function response(status: number, body?: unknown, headers: Record<string, string> = {}): UpstreamResponse {
  const text = body === undefined ? '' : JSON.stringify(body);
  return { status, headers: new Headers(headers), text, json: body };
}
const comiumError = (status: number, message: string) => ({
  title: 'Error',
  message,
  developer_message: 'secret-ish upstream detail',
  response_code: String(status),
});
const bundles = { path: '/Bundles' };

describe('comium error table', () => {
  it('maps 429 to RATE_LIMITED with the Retry-After delay', () => {
    const error = classifyComium(
      'comium',
      response(429, comiumError(429, 'Too Many Requests'), { 'retry-after': '1' }),
      bundles,
    );
    expect(error).toBeInstanceOf(ProviderRateLimitedError);
    expect((error as ProviderRateLimitedError).retryAfterMs).toBe(1000);
  });

  it('maps 5xx to PROVIDER_UNAVAILABLE', () => {
    expect(
      classifyComium('comium', response(500, comiumError(500, 'An unexpected error occurred')), bundles),
    ).toBeInstanceOf(ProviderUnavailableError);
    expect(classifyComium('comium', response(503, { error: 'Service Unavailable' }), bundles)).toMatchObject({
      reason: 'SERVER_ERROR',
    });
  });

  it.each(COMIUM_ERRORS.filter((e) => e.status !== 404).map((e) => [e.status, e.detail, e.providerCode] as const))(
    'maps a documented %i "%s" to PROVIDER_ERROR %s',
    (status, detail, providerCode) => {
      const error = classifyComium('comium', response(status, comiumError(status, detail.toUpperCase())), bundles);
      expect(error).toBeInstanceOf(ProviderRejectedError);
      expect(error).toMatchObject({ code: 'PROVIDER_ERROR', providerCode });
      expect(error!.message).not.toContain('secret-ish');
    },
  );

  it('codes an undocumented refusal by its HTTP status without echoing the body', () => {
    const error = classifyComium('comium', response(422, comiumError(422, 'Bundle sold out for reseller 42')), bundles);
    expect(error).toMatchObject({ providerCode: 'HTTP_422' });
    expect(error!.message).not.toMatch(/reseller 42|secret-ish/);
  });

  it('passes 401/403 (session) and 404 (absence) through for the client to judge', () => {
    for (const status of [401, 403, 404])
      expect(classifyComium('comium', response(status, comiumError(status, 'x')), bundles)).toBeNull();
  });

  it('passes refused credentials at login and refresh through, so they are never retried', () => {
    expect(
      classifyComium('comium', response(400, comiumError(400, 'username and password are required')), {
        path: '/Agent/login',
      }),
    ).toBeNull();
    expect(
      classifyComium('comium', response(401, comiumError(401, 'Invalid or expired refresh token')), {
        path: '/Token/Refresh',
      }),
    ).toBeNull();
    expect(
      classifyComium('comium', response(429, comiumError(429, 'Too Many Requests')), { path: '/Agent/login' }),
    ).toBeInstanceOf(ProviderRateLimitedError);
  });

  it('lets successes through', () => {
    expect(classifyComium('comium', response(200, { data: [] }), bundles)).toBeNull();
  });
});
