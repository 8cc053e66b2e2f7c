import { GraphQLError } from 'graphql';
import pino from 'pino';
import { ProviderRejectedError, ProviderUnavailableError } from '../../../src/domain/errors';
import { createFormatError } from '../../../src/graphql/errors';

const format = createFormatError(pino({ level: 'silent' }));
const asResolverError = (original: Error) =>
  new GraphQLError(original.message, { path: ['plans'], originalError: original });

describe('error mapping', () => {
  it('keeps a provider refusal with its own code', () => {
    const error = asResolverError(new ProviderRejectedError('esimaccess', '200007', 'Insufficient account balance'));
    expect(format({ message: error.message, path: ['plans'] }, error).extensions).toEqual({
      code: 'PROVIDER_ERROR',
      providerCode: '200007',
      providerId: 'esimaccess',
    });
  });

  it('masks unexpected errors: no message, stack, URL or secret', () => {
    const error = asResolverError(new Error('connect ECONNREFUSED https://api.esimaccess.com?secretKey=abc'));
    const formatted = format({ message: error.message, path: ['plans'], extensions: { stacktrace: ['at x'] } }, error);
    expect(formatted).toEqual({
      message: 'Internal server error',
      path: ['plans'],
      locations: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('reports a timeout as PROVIDER_UNAVAILABLE with its reason', () => {
    const error = asResolverError(new ProviderUnavailableError('comium', 'TIMEOUT'));
    expect(format({ message: error.message }, error).extensions).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      reason: 'TIMEOUT',
    });
  });

  it('turns request errors into BAD_USER_INPUT', () => {
    const error = new GraphQLError('Cannot query field "nope" on type "Query".', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(
      format({ message: error.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, error).extensions,
    ).toEqual({ code: 'BAD_USER_INPUT' });
  });
});
