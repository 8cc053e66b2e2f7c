import { ProviderRateLimitedError, ProviderRejectedError, ProviderUnavailableError } from '../../../src/domain/errors';
import { classifyEsimTradeResponse, rejection } from '../../../src/providers/esimtrade/esimtrade.errors';
import type { UpstreamResponse } from '../../../src/providers/http/upstream-client';

function response(status: number, code?: string, headers: Record<string, string> = {}): UpstreamResponse {
  const json =
    code === undefined
      ? undefined
      : { error: { code, message: 'secret-key abc123 was refused at https://api.esimtrade.com' } };
  return { status, headers: new Headers(headers), text: json ? JSON.stringify(json) : '', json };
}

const classify = (status: number, code?: string, headers?: Record<string, string>) =>
  classifyEsimTradeResponse('esimtrade', response(status, code, headers));

describe('eSIMTrade error-code table', () => {
  it.each([
    [401, 'UNAUTHORIZED'],
    [401, 'INVALID_CREDENTIALS'],
    [403, 'FORBIDDEN'],
    [403, undefined],
  ])('turns %i %s for our credentials into PROVIDER_UNAVAILABLE with reason AUTH', (status, code) => {
    const error = classify(status, code);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'AUTH' });
  });

  it('turns 429 RATE_LIMITED into RATE_LIMITED carrying Retry-After', () => {
    const error = classify(429, 'RATE_LIMITED', { 'retry-after': '2' });
    expect(error).toBeInstanceOf(ProviderRateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 2000 });
  });

  it.each([
    [502, 'UPSTREAM_UNAVAILABLE'],
    [503, 'UPSTREAM_UNAVAILABLE'],
    [500, 'INTERNAL_ERROR'],
    [500, 'INVALID_PARAMETER'],
    [503, undefined],
  ])('turns %i %s into a retryable PROVIDER_UNAVAILABLE', (status, code) => {
    expect(classify(status, code)).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'SERVER_ERROR' });
  });

  it.each([
    [402, 'INSUFFICIENT_BALANCE'],
    [409, 'IDEMPOTENCY_CONFLICT'],
    [409, 'OUT_OF_STOCK'],
    [409, 'OPERATION_NOT_ALLOWED'],
    [409, 'DUPLICATE_REFERENCE'],
    [404, 'TOPUP_NOT_FOUND'],
    [400, 'INVALID_PARAMETER'],
    [404, 'NOT_FOUND'],
    [422, 'SOMETHING_NEW'],
  ])('turns %i %s into PROVIDER_ERROR with the provider code', (status, code) => {
    const error = classify(status, code);
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect(error).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: code });
  });

  it('names the HTTP status when a refusal carries no envelope', () => {
    expect(classify(400)).toMatchObject({ providerCode: 'HTTP_400' });
  });

  it.each(['PLAN_NOT_FOUND', 'ORDER_NOT_FOUND', 'ESIM_NOT_FOUND'])(
    'lets a 404 %s through for a lookup to read as null',
    (code) => {
      expect(classify(404, code)).toBeNull();
    },
  );

  it('turns such a 404 into a refusal with the provider code when it answers a write', () => {
    const error = rejection('esimtrade', response(404, 'PLAN_NOT_FOUND'));
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect(error).toMatchObject({ providerCode: 'PLAN_NOT_FOUND' });
    expect(error.message).not.toMatch(/secret|abc123/);
  });

  it('lets every 2xx through', () => {
    expect(classify(200)).toBeNull();
    expect(classify(201, 'INVALID_PARAMETER')).toBeNull();
  });

  it('never copies the upstream message into the error', () => {
    for (const error of [
      classify(402, 'INSUFFICIENT_BALANCE'),
      classify(401, 'INVALID_CREDENTIALS'),
      classify(418, 'TEAPOT'),
    ]) {
      expect(error?.message).not.toMatch(/secret|abc123|https?:/);
    }
  });
});
