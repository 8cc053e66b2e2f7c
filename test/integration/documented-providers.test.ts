import { BYTES_PER_GB, BYTES_PER_MB } from '../../src/domain/data-units';
import {
  fixture,
  startDocumentedStub,
  type DocumentedRoute,
  type DocumentedStub,
  type RecordedCall,
} from '../helpers/documented-stub';
import { createReseller, credit, placeOrder, waitForOrder, wallet, type Reseller } from '../helpers/ordering';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * "Provider truth", done when: a new user who points a provider's credentials and
 * `<PROVIDER>_BASE_URL` at a server answering exactly the documented bodies gets a non-empty
 * catalog in the right units, orders that reach COMPLETED with the provider's ICCID and whatever
 * activation it gave, usage in bytes, and one debit per order. The real gateway (GraphQL only)
 * runs with eSIM Access, Comium and the eSIM platform each pointed at a documented stub serving
 * the bodies of test/fixtures/documented/<id>/ (provenance in their SOURCES.md, the same bodies
 * test/contract/documented/<id>.test.ts serves); the other providers stay on their sandboxes.
 *
 * Where a real server echoes a value of our own request (our reference as `transactionId`, the
 * `esimTranNo` or ICCID asked for), the stub puts that value into the documented body; every
 * answer keeps exactly the documented fields.
 */

/** The last call to `path` that `when` accepts, among the calls so far. */
const lastCall = (calls: readonly RecordedCall[], path: string, when: (c: RecordedCall) => boolean = () => true) =>
  [...calls].reverse().find((c) => c.path === path && when(c));

// ---------------------------------------------------------------------------------------------
// eSIM Access: every endpoint `POST /api/v1/open/<endpoint>`, envelope {success, errorCode, errorMsg, obj}.
const EA = 'esimaccess';
const OPEN = '/api/v1/open';
const EA_ORDER = fixture(EA, 'esim-order');
const EA_QUERY = fixture(EA, 'esim-query');
const EA_USAGE = fixture(EA, 'esim-usage-query');
const EA_PROFILE = EA_QUERY.obj.esimList[0];
const EA_USED = EA_USAGE.obj.esimUsageList[0];

const esimAccessRoutes: DocumentedRoute[] = [
  { method: 'POST', path: `${OPEN}/package/list`, body: fixture(EA, 'package-list') },
  { method: 'POST', path: `${OPEN}/balance/query`, body: fixture(EA, 'balance-query') },
  { method: 'POST', path: `${OPEN}/location/list`, body: fixture(EA, 'location-list') },
  { method: 'POST', path: `${OPEN}/webhook/save`, body: fixture(EA, 'webhook-save') },
  // The order answer echoes our transactionId (the published example's `Your_txn_id` stands for it).
  {
    method: 'POST',
    path: `${OPEN}/esim/order`,
    reply: (call) => ({ ...EA_ORDER, obj: { ...EA_ORDER.obj, transactionId: call.body.transactionId } }),
  },
  // The documented profile is the one of our last order: its transactionId is our reference, its
  // orderNo the one the order answer gave (the published query example names another order).
  {
    method: 'POST',
    path: `${OPEN}/esim/query`,
    reply: (_call, calls) => {
      const ordered = lastCall(calls, `${OPEN}/esim/order`);
      const echoed = ordered ? { transactionId: ordered.body.transactionId, orderNo: EA_ORDER.obj.orderNo } : {};
      return { ...EA_QUERY, obj: { ...EA_QUERY.obj, esimList: [{ ...EA_PROFILE, ...echoed }] } };
    },
  },
  // The published usage answer names another esimTranNo than its request: a real server answers the one asked.
  {
    method: 'POST',
    path: `${OPEN}/esim/usage/query`,
    reply: (call) => ({
      ...EA_USAGE,
      obj: { esimUsageList: (call.body.esimTranNoList as string[]).map((esimTranNo) => ({ ...EA_USED, esimTranNo })) },
    }),
  },
];

// ---------------------------------------------------------------------------------------------
// Comium: paths under the spec's server path /api/v1 (seed 002).
const CM = 'comium';
const CM_API = '/api/v1';
const CM_BUNDLE = fixture(CM, 'bundles-item');
const CM_ITEM = fixture(CM, 'orders-item');
const CM_SALE = fixture(CM, 'bundle-sale');
const CM_CONSUMPTION = fixture(CM, 'profile-consumption');
/**
 * The published sale answer says `"iccid": "iccid"`, a placeholder for the eSIM sold. A real server
 * answers the eSIM's ICCID: the stub fills in the one the same document's order item and
 * consumption body name for that sale (order_id 507f191e810c19729de860ea).
 */
const CM_ICCID: string = CM_ITEM.iccid;
/** No list envelope is documented: the adapter's ASSUMED `{data, page_number, page_size, total_count}` around documented items. */
const assumedPage = (items: readonly unknown[]) => ({
  data: items,
  page_number: 1,
  page_size: 100,
  total_count: items.length,
});
/** The sale of an order reference, once it was sold (`POST /Bundle` with that `order_reference`). */
const soldUnder = (calls: readonly RecordedCall[], reference: string | undefined) =>
  lastCall(calls, `${CM_API}/Bundle`, (c) => c.method === 'POST' && c.body?.order_reference === reference);

const comiumRoutes: DocumentedRoute[] = [
  { method: 'POST', path: `${CM_API}/Agent/login`, body: fixture(CM, 'agent-login') },
  { method: 'POST', path: `${CM_API}/Token/Refresh`, body: fixture(CM, 'token-refresh') },
  // `bundle_category` is a request filter: the documented US bundle is a country bundle.
  {
    method: 'GET',
    path: `${CM_API}/Bundles`,
    when: (c) => c.query.bundle_category === undefined || c.query.bundle_category === 'country',
    body: assumedPage([CM_BUNDLE]),
  },
  { method: 'GET', path: `${CM_API}/Bundles`, body: assumedPage([]) },
  { method: 'GET', path: `${CM_API}/Bundles/Networks`, body: [fixture(CM, 'bundles-networks-item')] },
  { method: 'POST', path: `${CM_API}/Bundle`, reply: () => ({ ...CM_SALE, iccid: CM_ICCID }) },
  // `/Orders?order_reference=` finds nothing before the sale, then the documented order item under our reference.
  {
    method: 'GET',
    path: `${CM_API}/Orders`,
    reply: (call, calls) =>
      soldUnder(calls, call.query.order_reference)
        ? assumedPage([{ ...CM_ITEM, order_reference: call.query.order_reference }])
        : assumedPage([]),
  },
  { method: 'GET', path: `${CM_API}/Profile/Consumption`, body: CM_CONSUMPTION },
];

// ---------------------------------------------------------------------------------------------
// The eSIM platform: seed 003 prints no paths; the stub serves the adapter's ASSUMED paths
// (src/providers/esimplatform/README.md) with the document's bodies.
const EP = 'esimplatform';
const EP_API = '/api/v1';
const EP_ORDER = fixture(EP, 'orders-create');
const EP_PROFILE = fixture(EP, 'esim-profile');
/**
 * The document prints no plan object and no plan list ("List Available eSIM Plans" gives query
 * parameters only), so the catalog is served in the adapter's ASSUMED shape (README "Plan list
 * envelope" / "Plan fields", as test/fixtures/providers/esimplatform/plans.raw.json): the plan the
 * documented order names (`plan_id` plan-123, `plan_name` "5GB - USA", `unit_price` 15.00 USD),
 * 5 GB as 5120 MB like the documented top-up plan PKG_5GB_30D.
 */
const EP_PLAN = {
  id: EP_ORDER.order.plan_id,
  name: EP_ORDER.order.plan_name,
  description: '5GB of data in the USA, valid for 30 days',
  country_code: 'US',
  countries: ['US'],
  region_code: null,
  provider_id: 'provider-1',
  data_volume_mb: 5120,
  is_unlimited: false,
  validity_days: 30,
  price: 15.0,
  currency: 'USD',
  networks: [{ country: 'US', operator: 'T-Mobile', type: '5G' }],
  topup_available: true,
};

const esimPlatformRoutes: DocumentedRoute[] = [
  { method: 'POST', path: `${EP_API}/auth/login`, body: fixture(EP, 'auth-login') },
  { method: 'POST', path: `${EP_API}/auth/refresh`, body: fixture(EP, 'auth-refresh') },
  { method: 'GET', path: `${EP_API}/credits/balance`, body: fixture(EP, 'credits-balance') },
  {
    method: 'GET',
    path: `${EP_API}/plans`,
    body: { success: true, data: [EP_PLAN], pagination: { page: 1, limit: 100, total: 1, total_pages: 1 } },
  }, // ASSUMED envelope
  { method: 'GET', path: `${EP_API}/plans/${EP_PLAN.id}`, body: { success: true, data: EP_PLAN } }, // ASSUMED envelope
  { method: 'POST', path: `${EP_API}/orders`, status: 201, body: EP_ORDER },
  // "Get Order Details" prints no answer: the documented order object in the ASSUMED `{ success, order }`.
  { method: 'GET', path: `${EP_API}/orders/${EP_ORDER.order.id}`, body: { success: true, order: EP_ORDER.order } },
  { method: 'GET', path: /^\/api\/v1\/esims\/[^/]+\/usage$/, body: fixture(EP, 'esim-usage') },
  // "Get Profile Information" answers the eSIM asked for (the example shows another ICCID).
  {
    method: 'GET',
    path: /^\/api\/v1\/esims\/[^/]+$/,
    reply: (call) => ({
      ...EP_PROFILE,
      profile: { ...EP_PROFILE.profile, iccid: decodeURIComponent(call.path.split('/').pop()!) },
    }),
  },
];

// ---------------------------------------------------------------------------------------------

interface Case {
  readonly id: string;
  readonly planId: string;
  readonly planBytes: number;
  readonly price: string;
  readonly iccid: string;
  readonly activation: {
    smdpAddress: string | null;
    matchingId: string | null;
    lpaString: string | null;
    qrCodeUrl: string | null;
  } | null;
  readonly usage: { usedBytes: number; totalBytes: number };
}

const CASES: readonly Case[] = [
  {
    id: EA,
    planId: 'esimaccess:CKH139',
    // `volume` 5368709120 bytes (5 GB); price 112500 in units of 1/10 000 USD.
    planBytes: 5 * BYTES_PER_GB,
    price: '11.25',
    iccid: EA_PROFILE.iccid,
    // From `ac` "LPA:1$rsp-eu.redteamobile.com$43DE…" and the profile's `qrCodeUrl`.
    activation: {
      smdpAddress: 'rsp-eu.redteamobile.com',
      matchingId: '43DE23C67EE747BCAD6B63E8B67B261F',
      lpaString: EA_PROFILE.ac,
      qrCodeUrl: EA_PROFILE.qrCodeUrl,
    },
    // `dataUsage` / `totalData` are bytes.
    usage: { usedBytes: EA_USED.dataUsage, totalBytes: EA_USED.totalData },
  },
  {
    id: CM,
    planId: `comium:${CM_BUNDLE.bundle_code}`,
    // `data_quota` 3072 MB.
    planBytes: 3072 * BYTES_PER_MB,
    price: '9.50',
    iccid: CM_ICCID,
    // Comium e-mails the eSIM: no activation field in any documented answer.
    activation: null,
    // orders_balances in MB: used = total_data − remaining_data.
    usage: {
      usedBytes:
        (CM_CONSUMPTION.orders_balances[0].total_data - CM_CONSUMPTION.orders_balances[0].remaining_data) *
        BYTES_PER_MB,
      totalBytes: CM_CONSUMPTION.orders_balances[0].total_data * BYTES_PER_MB,
    },
  },
  {
    id: EP,
    planId: `esimplatform:${EP_PLAN.id}`,
    planBytes: 5120 * BYTES_PER_MB,
    price: '15.00',
    iccid: EP_ORDER.order.iccid,
    // Only `qr_code_url` is documented (the platform mails the eSIM).
    activation: { smdpAddress: null, matchingId: null, lpaString: null, qrCodeUrl: EP_ORDER.order.qr_code_url },
    // data_used / data_limit in MB (1 MB = 1024² bytes, README "Usage unit").
    usage: { usedBytes: 500 * BYTES_PER_MB, totalBytes: 5000 * BYTES_PER_MB },
  },
];

const PLAN_FIELDS = 'id code data { bytes unlimited } price { amount currency } wholesalePrice { amount currency }';
const PROFILE_USAGE =
  'query($iccid: String!) { profile(iccid: $iccid) { iccid activation { smdpAddress matchingId lpaString qrCodeUrl } usage { usedBytes totalBytes } } }';

describe('eSIM Access, Comium and the eSIM platform against servers answering their documented bodies', () => {
  const stubs: Record<string, DocumentedStub> = {};
  let t: TestApp;
  let reseller: Reseller;

  beforeAll(async () => {
    stubs[EA] = await startDocumentedStub(esimAccessRoutes);
    stubs[CM] = await startDocumentedStub(comiumRoutes);
    stubs[EP] = await startDocumentedStub(esimPlatformRoutes);
    // What README "Pointing a provider at its real API" tells a new user to set.
    t = await startTestApp({
      ESIMACCESS_ACCESS_CODE: 'documented-access-code',
      ESIMACCESS_SECRET_KEY: 'documented-secret-key',
      ESIMACCESS_BASE_URL: stubs[EA].url,
      COMIUM_USERNAME: 'your_reseller_username',
      COMIUM_PASSWORD: 'YourStrongPassword1!',
      COMIUM_BASE_URL: stubs[CM].url + CM_API,
      ESIMPLATFORM_EMAIL: 'user@example.com',
      ESIMPLATFORM_PASSWORD: 'SecurePassword123!',
      ESIMPLATFORM_BASE_URL: stubs[EP].url + EP_API,
      RECONCILE_INTERVAL_MS: '100',
    });
    reseller = await createReseller(t);
    await credit(t, reseller.accountId, '1000');
  }, 30_000);

  afterAll(async () => {
    await t?.close();
    await Promise.all(Object.values(stubs).map((s) => s.close()));
  });

  describe.each(CASES)('$id', (c) => {
    it('lists a non-empty catalog with the documented plan in bytes and at its exact decimal price', async () => {
      const { body } = await t.gql(
        `query($f: PlanFilter) { plans(filter: $f, first: 100) { totalCount nodes { ${PLAN_FIELDS} } } }`,
        { f: { providerIds: [c.id] } },
        reseller.key,
      );
      expect(body.errors).toBeUndefined();
      expect(body.data.plans.nodes.length).toBeGreaterThan(0);
      const plan = body.data.plans.nodes.find((p: any) => p.id === c.planId);
      expect(plan).toMatchObject({
        data: { bytes: c.planBytes, unlimited: false },
        wholesalePrice: { amount: c.price, currency: 'USD' },
        price: { amount: c.price, currency: 'USD' },
      });
    });

    it('orders the plan to COMPLETED with the provider’s ICCID and activation, reports usage in bytes, and debits the wallet once', async () => {
      const placed = await placeOrder(t, reseller.key, { planId: c.planId, quantity: 1 });
      expect(placed.body.errors).toBeUndefined();
      const order = await waitForOrder(t, reseller.key, placed.body.data.placeOrder.id);
      expect(order).toMatchObject({
        status: 'COMPLETED',
        failureReason: null,
        provider: { id: c.id },
        total: { amount: c.price, currency: 'USD' },
      });
      expect(order.profiles).toEqual([expect.objectContaining({ iccid: c.iccid, activation: c.activation })]);

      const { body } = await t.gql(PROFILE_USAGE, { iccid: c.iccid }, reseller.key);
      expect(body.errors).toBeUndefined();
      expect(body.data.profile).toEqual({ iccid: c.iccid, activation: c.activation, usage: c.usage });

      const { transactions } = await wallet(t, reseller.key);
      const debits = transactions.filter((tx) => tx.orderId === order.id);
      expect(debits).toEqual([
        expect.objectContaining({ type: 'ORDER', amount: { amount: `-${order.total.amount}` } }),
      ]);

      // Every call was answered by a documented body (or an assumed one where the document is
      // silent); only the eSIM platform's webhook subscriptions, whose answers seed 003 does not
      // print, go unanswered, and the gateway polls instead.
      expect(
        stubs[c.id]
          .unmatched()
          .filter((call) => !call.path.startsWith(`${EP_API}/webhooks`))
          .map((call) => `${call.method} ${call.path}`),
      ).toEqual([]);
    });
  });
});
