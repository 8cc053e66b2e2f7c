import {
  isEmailAddress,
  isIccid,
  isOrderQuantity,
  isPlanId,
  MAX_ORDER_QUANTITY,
  parseIccid,
  parsePlaceOrder,
  parsePlanId,
  parseSmsMessage,
  requireCustomerFields,
} from '../../../src/domain/order-input';

const order = { planId: 'esimaccess:CKH491', idempotencyKey: 'k' };

describe('ICCIDs', () => {
  it.each([
    ['89852400000000000018', 'a simulator ICCID (20 digits, Luhn)'],
    ['89852400000000000019', 'one failing Luhn: real recycled ICCIDs may, and an unknown one is NOT_FOUND'],
    ['898524000000000001', '18 digits'],
    ['8985240000000000000001', '22 digits'],
    [' 89852400000000000018 ', 'surrounding spaces'],
  ])('accepts %s (%s)', (iccid) => {
    expect(isIccid(iccid)).toBe(true);
    expect(parseIccid(iccid)).toBe(iccid.trim());
  });

  it.each([
    '',
    '8985240',
    '89852400000000001',
    '89852400000000000000018',
    '8985240000000000001F',
    '8985 2400 0000 0000 0018',
    '８９８５２４００００００００００００１８',
    '-8985240000000000001',
    '8985240000000000001.0',
    42,
  ])('refuses %p', (iccid) => {
    expect(isIccid(iccid)).toBe(false);
    if (typeof iccid === 'string')
      expect(() => parseIccid(iccid)).toThrow(
        expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'iccid' } }),
      );
  });
});

describe('plan ids', () => {
  it.each([
    'esimaccess:CKH491',
    'comium:GLOBAL_1GB_0123456789',
    'connectedyou:123',
    'esimtrade:a:b',
    `esimplatform:${'c'.repeat(150)}`,
  ])('accepts %s', (id) => {
    expect(isPlanId(id)).toBe(true);
    expect(parsePlanId(id).providerId).toBe(id.split(':')[0]);
  });

  it.each([
    '',
    ':',
    'esimaccess',
    'esimaccess:',
    ':CKH491',
    'unknown:CKH491',
    'ESIMACCESS:CKH491',
    `esimaccess:${'c'.repeat(151)}`,
    'esimaccess:\u0000',
    'esimaccess:a\nb',
    'esimaccess:\ud800',
  ])('refuses %p before any provider sees it', (id) => {
    expect(isPlanId(id)).toBe(false);
    expect(() => parsePlanId(id)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'planId' } }),
    );
  });
});

describe('placeOrder input', () => {
  it('defaults the quantity to 1 and reads blank text as absent', () => {
    expect(parsePlaceOrder({ ...order, reference: '  ', customer: { email: '', name: ' ' } })).toMatchObject({
      quantity: 1,
      reference: null,
      customer: null,
    });
  });

  it.each([1, MAX_ORDER_QUANTITY])('accepts a quantity of %d', (quantity) => {
    expect(isOrderQuantity(quantity)).toBe(true);
    expect(parsePlaceOrder({ ...order, quantity }).quantity).toBe(quantity);
  });

  it.each([0, -1, MAX_ORDER_QUANTITY + 1, 1.5, 2 ** 31, Number.NaN])('refuses a quantity of %p', (quantity) => {
    expect(isOrderQuantity(quantity)).toBe(false);
    expect(() => parsePlaceOrder({ ...order, quantity })).toThrow(
      expect.objectContaining({ details: { field: 'quantity' } }),
    );
  });

  it.each([
    ['reference', { reference: 'r'.repeat(101) }],
    ['reference', { reference: 'ref\u0085' }],
    ['customer.email', { customer: { email: 'not-an-email' } }],
    ['customer.email', { customer: { email: `${'a'.repeat(250)}@example.com` } }],
    ['customer.email', { customer: { email: 'a\u007f@example.com' } }],
    ['customer.name', { customer: { name: 'n'.repeat(201) } }],
    ['customer.name', { customer: { name: 'Ana\u0000' } }],
  ])('refuses a bad %s', (field, extra) => {
    expect(() => parsePlaceOrder({ ...order, ...extra })).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field } }),
    );
  });

  it('recognises email addresses', () => {
    expect(isEmailAddress('ana@example.com')).toBe(true);
    for (const email of ['a@b', '@example.com', 'a b@example.com', 'x@@y.com', 'ana@'])
      expect(isEmailAddress(email)).toBe(false);
  });
});

describe('customer details a provider needs', () => {
  const order = (customer: { email?: string | null; name?: string | null } | null) =>
    parsePlaceOrder({ planId: 'comium:B1', customer, idempotencyKey: 'k' });
  const refusal = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      return {
        code: (error as { code?: string }).code,
        field: (error as { details?: { field?: string } }).details?.field,
        message: (error as Error).message,
      };
    }
    return null;
  };

  it('passes an order with every field the provider needs, and any order where it needs none', () => {
    expect(
      refusal(() => requireCustomerFields(order({ email: 'a@example.com', name: 'Ann' }), ['EMAIL', 'NAME'], 'Comium')),
    ).toBeNull();
    expect(refusal(() => requireCustomerFields(order(null), [], 'eSIM Access'))).toBeNull();
  });

  it('refuses with BAD_USER_INPUT naming the first missing field', () => {
    expect(refusal(() => requireCustomerFields(order(null), ['EMAIL', 'NAME'], 'Comium'))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'customer.email',
      message: expect.stringContaining('customer.email and customer.name are required'),
    });
    expect(
      refusal(() => requireCustomerFields(order({ email: 'a@example.com' }), ['EMAIL', 'NAME'], 'Comium')),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customer.name' });
    // Blank text is no name: parsePlaceOrder trims it away first.
    expect(
      refusal(() => requireCustomerFields(order({ email: 'a@example.com', name: '   ' }), ['EMAIL', 'NAME'], 'Comium')),
    ).toMatchObject({ field: 'customer.name' });
  });
});

describe('SMS messages', () => {
  it('keeps a message as written, line breaks included', () => {
    expect(parseSmsMessage('Hello\nworld ')).toBe('Hello\nworld ');
  });

  it.each(['', '  \n', 'm'.repeat(501), 'bell\u0007'])('refuses %p', (message) => {
    expect(() => parseSmsMessage(message)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'message' } }),
    );
  });
});
