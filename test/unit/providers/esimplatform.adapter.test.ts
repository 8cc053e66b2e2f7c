import { createEsimPlatformAdapter } from '../../../src/providers/esimplatform';
import type { ProviderAdapter } from '../../../src/providers/provider-adapter';
import {
  DOCUMENTED_POLICY,
  fixture,
  fixtureText,
  startDocumentedStub,
  type DocumentedRoute,
  type DocumentedStub,
} from '../../helpers/documented-stub';
import { testLogger } from '../../helpers/logger';

// How the adapter reads order answers that vary from the document's one example: words it lists
// without an example, a done order naming no eSIM, an eSIM that cannot be read.
const API = '/api/v1';
const ORDER = fixture('esimplatform', 'orders-create').order;
const CUSTOMER = { email: 'customer@example.com', name: 'John Customer' };
const REQUEST = {
  reference: 'ref-1',
  planCode: ORDER.plan_id as string,
  quantity: 1,
  expectedUnitPrice: { amount: '15', currency: 'USD' },
  customer: CUSTOMER,
};
const login: DocumentedRoute = {
  method: 'POST',
  path: `${API}/auth/login`,
  body: fixtureText('esimplatform', 'auth-login'),
};

describe('esimplatform adapter reading order answers', () => {
  let stub: DocumentedStub;
  let adapter: ProviderAdapter;

  const run = async (order: object, profile?: DocumentedRoute) => {
    stub = await startDocumentedStub([
      login,
      {
        method: 'POST',
        path: `${API}/orders`,
        status: 201,
        body: { success: true, message: 'Order created successfully', order },
      },
      ...(profile ? [profile] : []),
    ]);
    adapter = createEsimPlatformAdapter(
      { baseUrl: stub.url + API, sandbox: false, email: 'user@example.com', password: 'x' },
      { logger: testLogger, policy: DOCUMENTED_POLICY },
    );
    return adapter.placeOrder(REQUEST);
  };
  const profileAt = (identifier: string, body: unknown, status = 200): DocumentedRoute => ({
    method: 'GET',
    path: `${API}/esims/${identifier}`,
    status,
    body,
  });

  afterEach(async () => {
    await adapter.dispose();
    await stub.close();
  });

  it('reads the eSIM state of a done order from "Get Profile Information" by its ICCID', async () => {
    const order = await run(
      ORDER,
      profileAt(ORDER.iccid, {
        success: true,
        profile: { iccid: ORDER.iccid, status: 'released', data_remaining: 5000, validity_days: 30 },
      }),
    );
    expect(order.profiles).toEqual([
      {
        iccid: ORDER.iccid,
        providerProfileId: ORDER.iccid,
        rawStatus: 'released',
        status: 'NOT_INSTALLED',
        smdpAddress: null,
        matchingId: null,
        qrCodeUrl: ORDER.qr_code_url,
        expiresAt: null,
      },
    ]);
  });

  it('finds the eSIM of a completed order without an ICCID by order_id', async () => {
    const { iccid: _none, ...noIccid } = ORDER;
    const order = await run(
      { ...noIccid, status: 'completed' },
      profileAt(ORDER.id, { success: true, profile: { iccid: '8901260000000000017', status: 'active' } }),
    );
    expect(order).toMatchObject({
      status: 'COMPLETED',
      profiles: [{ iccid: '8901260000000000017', status: 'ACTIVE', qrCodeUrl: ORDER.qr_code_url }],
    });
  });

  it('keeps a completed order without an ICCID PROCESSING when no eSIM can be found, never throwing', async () => {
    const notFound = { success: false, error: { code: 'ESIM_NOT_FOUND', message: 'eSIM profile not found' } };
    await expect(
      run({ ...ORDER, status: 'completed', iccid: null }, profileAt(ORDER.id, notFound, 404)),
    ).resolves.toMatchObject({ status: 'PROCESSING', profiles: [] });
  });

  it('keeps a completed order without an ICCID PROCESSING through an outage of the profile read', async () => {
    await expect(
      run({ ...ORDER, status: 'completed', iccid: null }, profileAt(ORDER.id, { success: false }, 503)),
    ).resolves.toMatchObject({ status: 'PROCESSING', profiles: [] });
  });

  it('reads pending as PROCESSING without any profile read', async () => {
    const order = await run({ ...ORDER, status: 'pending', iccid: null, qr_code_url: null });
    expect(order).toEqual({ providerOrderId: ORDER.id, status: 'PROCESSING', profiles: [] });
    expect(stub.callsTo('GET', /\/esims\//)).toEqual([]);
  });

  it.each(['cancelled', 'expired'])('reads %s as FAILED', async (status) => {
    expect(await run({ ...ORDER, status })).toMatchObject({
      status: 'FAILED',
      profiles: [],
      failureReason: `order ${status} upstream`,
    });
  });

  it('keeps an unknown order word PROCESSING and says so once', async () => {
    const warn = jest.spyOn(testLogger, 'warn');
    try {
      expect((await run({ ...ORDER, status: 'on_hold' })).status).toBe('PROCESSING');
      await adapter.placeOrder(REQUEST);
      expect(warn.mock.calls.filter(([fields]) => (fields as { kind?: string }).kind === 'order')).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });
});
