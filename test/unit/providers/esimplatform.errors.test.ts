import { ProviderRateLimitedError, ProviderRejectedError, ProviderUnavailableError } from '../../../src/domain/errors';
import {
  EsimPlatformAuthError,
  classifyEsimPlatformResponse,
} from '../../../src/providers/esimplatform/esimplatform.errors';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
  json: body,
});
const failure = (code: string) => ({ success: false, error: { code, message: 'upstream text with secrets eyJabc' } });

describe('esimplatform error-code table', () => {
  it('lets successes through', () => {
    expect(classifyEsimPlatformResponse(answer(200, { success: true, data: [] }))).toBeNull();
  });

  it.each(['TOKEN_EXPIRED', 'INVALID_TOKEN', 'UNAUTHORIZED', 'INVALID_CREDENTIALS'])(
    'treats 401 %s as a refusal of our token or credentials',
    (code) => {
      const error = classifyEsimPlatformResponse(answer(401, failure(code)));
      expect(error).toBeInstanceOf(EsimPlatformAuthError);
      expect(error).toMatchObject({ providerCode: code });
    },
  );

  it('treats any 403 as an auth refusal, whatever its code', () => {
    expect(classifyEsimPlatformResponse(answer(403, failure('VALIDATION_ERROR')))).toBeInstanceOf(
      EsimPlatformAuthError,
    );
  });

  it('turns 429 RATE_LIMIT_EXCEEDED into RATE_LIMITED with the Retry-After wait', () => {
    const error = classifyEsimPlatformResponse(answer(429, failure('RATE_LIMIT_EXCEEDED'), { 'retry-after': '120' }));
    expect(error).toBeInstanceOf(ProviderRateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 120_000 });
  });

  it.each([
    [500, failure('INTERNAL_ERROR')],
    [503, failure('SERVICE_UNAVAILABLE')],
    [503, { error: 'Service Unavailable' }],
    [502, undefined],
  ])('turns %s into PROVIDER_UNAVAILABLE', (status, body) => {
    expect(classifyEsimPlatformResponse(answer(status, body))).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      reason: 'SERVER_ERROR',
    });
  });

  it.each([
    [404, 'PLAN_NOT_FOUND'],
    [400, 'VALIDATION_ERROR'],
    [402, 'INSUFFICIENT_CREDITS'],
    [409, 'INVALID_STATE'],
    [404, 'ESIM_NOT_FOUND'],
    [409, 'SOMETHING_NEW'],
  ])('turns %s %s into PROVIDER_ERROR with the platform code', (status, code) => {
    const error = classifyEsimPlatformResponse(answer(status, failure(code)));
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect(error).not.toBeInstanceOf(EsimPlatformAuthError);
    expect(error).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: code });
    expect(error?.message).not.toMatch(/eyJ|secret/);
  });

  it('classifies a 200 whose envelope says success: false by its code', () => {
    expect(classifyEsimPlatformResponse(answer(200, failure('TOKEN_EXPIRED')))).toBeInstanceOf(EsimPlatformAuthError);
    expect(classifyEsimPlatformResponse(answer(200, failure('INTERNAL_ERROR')))).toBeInstanceOf(
      ProviderUnavailableError,
    );
    expect(classifyEsimPlatformResponse(answer(404, undefined))).toMatchObject({ providerCode: 'HTTP_404' });
  });
});
