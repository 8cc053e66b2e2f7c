import { signEsimAccessRequest } from '../../../src/providers/esimaccess';
import { esimAccessSignature, verifySignature } from '../../../src/sandbox/esimaccess/auth';

/** The worked example of the provider's HMAC chapter (research §1.2). */
const EXAMPLE = {
  timestamp: '1628670421',
  requestId: '4ce9d9cdac9e4e17b3a2c66c358c1ce2',
  accessCode: '11111',
  secretKey: '1111',
  body: '{"imsi":"326543826"}',
};
const FULL = '7eb765e27df5373dea2dbc8c41a7d9557743e46c8054750f3d851b3fd01d0835';

describe('eSIM Access request signature', () => {
  it('reproduces the documented worked example', () => {
    const signature = signEsimAccessRequest(
      EXAMPLE.secretKey,
      EXAMPLE.timestamp,
      EXAMPLE.requestId,
      EXAMPLE.accessCode,
      EXAMPLE.body,
    );
    expect(signature).toBe(FULL);
    expect(signature.startsWith('7eb765e2')).toBe(true);
    expect(signature.endsWith('0835')).toBe(true);
  });

  it('is computed identically by the simulator', () => {
    expect(
      esimAccessSignature(EXAMPLE.secretKey, EXAMPLE.timestamp, EXAMPLE.requestId, EXAMPLE.accessCode, EXAMPLE.body),
    ).toBe(FULL);
  });

  it('is accepted by the simulator in either case, and refused once a byte of the body changes', () => {
    const secrets = new Map([[EXAMPLE.accessCode, EXAMPLE.secretKey]]);
    const now = Number(EXAMPLE.timestamp);
    const request = { ...EXAMPLE, signature: FULL.toUpperCase() };
    expect(verifySignature(request, secrets, now)).toBeNull();
    expect(verifySignature({ ...request, signature: FULL }, secrets, now)).toBeNull();
    expect(verifySignature({ ...request, body: '{"imsi":"326543827"}' }, secrets, now)).toBe('101003');
    expect(verifySignature({ ...request, signature: undefined }, secrets, now)).toBe('000101');
    expect(verifySignature({ ...request, signature: 'xyz' }, secrets, now)).toBe('000102');
  });
});
