import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let resellerKey: string;
beforeAll(async () => {
  t = await startTestApp();
  const { body } = await t.gql(
    'mutation { createAccount(input: { name: "Travel Shop", markupPercent: "20" }) { apiKey account { id name role markupPercent wallet { balance { amount currency } } } } }',
  );
  resellerKey = body.data.createAccount.apiKey;
});
afterAll(() => t.close());

describe('authentication', () => {
  it.each([
    ['no key', null],
    ['a wrong key', 'esg_not-a-real-key-at-all'],
  ])('refuses %s with UNAUTHENTICATED, HTTP 401 and no data', async (_label, key) => {
    const { status, body } = await t.gql('{ viewer { id } }', undefined, key);
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers introspection only with a valid key', async () => {
    expect((await t.gql('{ __schema { queryType { name } } }', undefined, null)).body.errors[0].extensions.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      (await t.gql('{ __schema { queryType { name } } }', undefined, resellerKey)).body.data.__schema.queryType.name,
    ).toBe('Query');
  });

  it('shows the caller as viewer, with its markup and an empty USD wallet', async () => {
    const { body } = await t.gql(
      '{ viewer { name role markupPercent wallet { balance { amount currency } transactions { totalCount } } } }',
      undefined,
      resellerKey,
    );
    expect(body.data.viewer).toEqual({
      name: 'Travel Shop',
      role: 'RESELLER',
      markupPercent: '20',
      wallet: { balance: { amount: '0.00', currency: 'USD' }, transactions: { totalCount: 0 } },
    });
  });

  it('stores only a hash of every key', async () => {
    const rows: { key_hash: string }[] = await t.app.db.query('SELECT key_hash FROM api_key');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect([ADMIN_KEY, resellerKey]).not.toContain(row.key_hash);
    }
  });
});

describe('authorization', () => {
  it('lets only admins create accounts', async () => {
    const { body } = await t.gql(
      'mutation { createAccount(input: { name: "Sneaky" }) { apiKey } }',
      undefined,
      resellerKey,
    );
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('lets only admins read provider balances', async () => {
    const reseller = await t.gql('{ provider(id: "esimaccess") { id balance { amount } } }', undefined, resellerKey);
    expect(reseller.body.errors[0].extensions.code).toBe('FORBIDDEN');
    await t.control('esimaccess', 'balance', { amount: '321.50' });
    const admin = await t.gql('{ provider(id: "esimaccess") { balance { amount currency } } }');
    expect(admin.body.data.provider.balance).toEqual({ amount: '321.50', currency: 'USD' });
  });

  it('validates new accounts', async () => {
    for (const input of [
      '{ name: "" }',
      '{ name: "A", markupPercent: "-5" }',
      '{ name: "A", markupPercent: "5000" }',
      '{ name: "A", markupPercent: 5 }',
    ]) {
      const { body } = await t.gql(`mutation { createAccount(input: ${input}) { apiKey } }`);
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  it('keeps wallet credits for admins only', async () => {
    const { body } = await t.gql(
      'mutation { creditWallet(input: { accountId: "x", amount: "1", idempotencyKey: "k1" }) { id } }',
      undefined,
      resellerKey,
    );
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('the bootstrap admin key', () => {
  it('is rotated at each sandbox start when none is configured, the old one revoked', async () => {
    const first = await t.app.services.accounts.ensureBootstrapAdmin(null);
    const second = await t.app.services.accounts.ensureBootstrapAdmin(null);
    expect(first).toMatch(/^esg_/);
    expect((await t.gql('{ viewer { role } }', undefined, second)).body.data.viewer.role).toBe('ADMIN');
    await new Promise((r) => setTimeout(r, 5100)); // past the key memo
    expect((await t.gql('{ viewer { role } }', undefined, first)).status).toBe(401);
  });
});
