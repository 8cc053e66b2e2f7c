import { ProviderUnavailableError } from '../../../src/domain/errors';
import { createEsimPlatformAdapter } from '../../../src/providers/esimplatform';
import { createEsimTradeAdapter } from '../../../src/providers/esimtrade';
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

/**
 * A lookup by our reference settles an unclear create, so its "not found" must be proven by the
 * answer, never guessed: a wrong null could let a second paid order through. The eSIM platform
 * and eSIMTrade keep our reference only in ASSUMED fields, so an answer that does not carry it, or
 * more pages than we read, rejects as unavailable (outcome still unknown, looked up again later).
 */
const REF = { reference: 'ref-lookup-1', providerOrderId: null, placedAt: new Date() };

describe('eSIM platform: getOrder by our reference', () => {
  const API = '/api/v1';
  const ORDER = fixture('esimplatform', 'orders-create').order;
  const login: DocumentedRoute = {
    method: 'POST',
    path: `${API}/auth/login`,
    body: fixtureText('esimplatform', 'auth-login'),
  };
  const profile: DocumentedRoute = {
    method: 'GET',
    path: /^\/api\/v1\/esims\/[^/]+$/,
    body: fixtureText('esimplatform', 'esim-profile'),
  };
  let stub: DocumentedStub;
  let adapter: ProviderAdapter;

  const withOrders = async (reply: DocumentedRoute['reply']) => {
    stub = await startDocumentedStub([login, profile, { method: 'GET', path: `${API}/orders`, reply }]);
    adapter = createEsimPlatformAdapter(
      { baseUrl: stub.url + API, sandbox: false, email: 'user@example.com', password: 'x' },
      { logger: testLogger, policy: DOCUMENTED_POLICY },
    );
  };
  const page = (data: object[], page = 1, totalPages = 1) => ({
    success: true,
    data,
    pagination: { page, limit: 100, total: data.length, total_pages: totalPages },
  });

  afterEach(async () => {
    await adapter.dispose();
    await stub.close();
  });

  it('is null when every order read carries a reference and none is ours', async () => {
    await withOrders(() => page([{ ...ORDER, reference: 'someone-else' }]));
    await expect(adapter.getOrder(REF)).resolves.toBeNull();
  });

  it('finds our order on a later page when the platform ignores the reference filter', async () => {
    await withOrders((call) =>
      call.query.page === '1'
        ? page([{ ...ORDER, id: 'ord-other', reference: 'other' }], 1, 2)
        : page([{ ...ORDER, reference: REF.reference }], 2, 2),
    );
    await expect(adapter.getOrder(REF)).resolves.toMatchObject({ providerOrderId: ORDER.id, status: 'COMPLETED' });
  });

  it('cannot tell when the orders do not carry our reference (the documented order object has none): rejects, never null', async () => {
    await withOrders(() => page([ORDER]));
    await expect(adapter.getOrder(REF)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it('cannot tell after ten full pages without it: rejects, never null', async () => {
    await withOrders((call) =>
      page(
        Array.from({ length: 100 }, (_, i) => ({ ...ORDER, id: `ord-${call.query.page}-${i}`, reference: 'other' })),
        Number(call.query.page),
        50,
      ),
    );
    await expect(adapter.getOrder(REF)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(stub.callsTo('GET', `${API}/orders`)).toHaveLength(10);
  });
});

describe('eSIMTrade: getOrder by our reference', () => {
  let stub: DocumentedStub;
  let adapter: ProviderAdapter;
  const meta = { page: 1, limit: 100, total: 1, pages: 1 };

  const withSearch = async (data: object[]) => {
    stub = await startDocumentedStub([{ method: 'GET', path: '/reseller/orders', body: { data, meta } }]);
    adapter = createEsimTradeAdapter(
      { baseUrl: stub.url, sandbox: false, accessCode: 'code', secretKey: 'secret' },
      { logger: testLogger, policy: DOCUMENTED_POLICY },
    );
  };

  afterEach(async () => {
    await adapter.dispose();
    await stub.close();
  });

  it('is null when the text search finds nothing', async () => {
    await withSearch([]);
    await expect(adapter.getOrder(REF)).resolves.toBeNull();
  });

  it('cannot tell when a match carries no reference: rejects, never null', async () => {
    await withSearch([{ order_number: 'EST-1', status: 'completed' }]);
    await expect(adapter.getOrder(REF)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it('is null when every match names another reference (the filter matches substrings)', async () => {
    await withSearch([{ order_number: 'EST-1', reference: `${REF.reference}-2`, status: 'completed' }]);
    await expect(adapter.getOrder(REF)).resolves.toBeNull();
  });
});
