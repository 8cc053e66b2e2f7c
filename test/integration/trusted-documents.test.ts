import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'graphql-ws';
import { createReseller, credit, type Reseller } from '../helpers/ordering';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';
import { firstResult, waitFor, wsClient, type Outcome } from '../helpers/ws-client';

const VIEWER = 'query Viewer {\n  viewer {\n    id\n    role\n  }\n}';
const WALLET = 'subscription WalletUpdated {\n  walletUpdated {\n    balance {\n      amount\n    }\n  }\n}';
const FREE_FORM = '{ viewer { id role } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** POSTs a GraphQL-over-HTTP body as it is, with the key as Bearer. */
async function post(t: TestApp, body: Record<string, unknown>, key: string | null) {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** One subscribe over graphql-ws with an arbitrary payload: its first result, or the errors it was refused with. */
function firstOf(client: Client, payload: Record<string, unknown>): Promise<Outcome> {
  return new Promise((resolve) => {
    const stop = client.subscribe(payload as { query: string }, {
      next: (result) => {
        resolve(result as Outcome);
        stop();
      },
      error: (error) => resolve({ errors: error as Outcome['errors'] }),
      complete: () => undefined,
    });
  });
}

describe('trusted documents (TRUSTED_DOCUMENTS set)', () => {
  let t: TestApp;
  let reseller: Reseller;
  let dir: string;
  const clients: Client[] = [];
  const client = (key: string) => {
    const c = wsClient(t, key);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trusted-docs-'));
    // As graphql-codegen's client preset writes persisted-documents.json: sha256 hex → printed document.
    const manifest = path.join(dir, 'persisted-documents.json');
    fs.writeFileSync(manifest, JSON.stringify({ [sha256(VIEWER)]: VIEWER, [sha256(WALLET)]: WALLET }, null, 2));
    t = await startTestApp({ TRUSTED_DOCUMENTS: manifest });
    reseller = await createReseller(t);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('over HTTP', () => {
    it('runs a document of the manifest by its hash for a reseller key', async () => {
      const { status, body } = await post(t, { documentId: sha256(VIEWER), operationName: 'Viewer' }, reseller.key);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.viewer).toEqual({ id: reseller.accountId, role: 'RESELLER' });
    });

    it('takes the hash with a sha256: prefix, or as an APQ extension', async () => {
      const prefixed = await post(t, { documentId: `sha256:${sha256(VIEWER)}` }, reseller.key);
      expect(prefixed.body.data.viewer.role).toBe('RESELLER');
      const apq = await post(
        t,
        { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(VIEWER) } } },
        reseller.key,
      );
      expect(apq.body.data.viewer.role).toBe('RESELLER');
    });

    it('runs a document named in the query string of a GET', async () => {
      const res = await fetch(`${t.url}/graphql?documentId=${sha256(VIEWER)}`, {
        headers: { authorization: `Bearer ${reseller.key}`, 'apollo-require-preflight': 'true' },
      });
      const body = (await res.json()) as any;
      expect(res.status).toBe(200);
      expect(body.data.viewer.role).toBe('RESELLER');
    });

    it('refuses operation text from a reseller key with FORBIDDEN, before reading it', async () => {
      const { status, body } = await post(t, { query: FREE_FORM }, reseller.key);
      expect(status).toBe(403);
      expect(body.data).toBeUndefined();
      expect(body.errors).toEqual([
        { message: expect.stringMatching(/only trusted documents/), extensions: { code: 'FORBIDDEN' } },
      ]);
      // Unreadable text gets the same refusal: nothing was parsed.
      const garbage = await post(t, { query: '{ viewer { ' }, reseller.key);
      expect(garbage.body.errors[0].extensions.code).toBe('FORBIDDEN');
    });

    it('refuses operation text without a key with UNAUTHENTICATED', async () => {
      const { status, body } = await post(t, { query: FREE_FORM }, null);
      expect(status).toBe(401);
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a hash the manifest does not hold with BAD_USER_INPUT', async () => {
      const { status, body } = await post(t, { documentId: sha256(FREE_FORM) }, reseller.key);
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors).toEqual([
        { message: expect.stringMatching(/Unknown documentId/), extensions: { code: 'BAD_USER_INPUT' } },
      ]);
      const apq = await post(
        t,
        { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(FREE_FORM) } } },
        reseller.key,
      );
      expect(apq.body.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'BAD_USER_INPUT' } }]);
    });

    it("never serves a reseller a document an admin put in Apollo's APQ cache", async () => {
      const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(FREE_FORM) } };
      expect((await post(t, { query: FREE_FORM, extensions }, ADMIN_KEY)).body.data.viewer.role).toBe('ADMIN');
      expect((await post(t, { extensions }, reseller.key)).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    it('still runs operation text from an admin key, and documents by hash', async () => {
      expect((await t.gql(FREE_FORM)).body.data.viewer.role).toBe('ADMIN');
      expect((await post(t, { documentId: sha256(VIEWER) }, ADMIN_KEY)).body.data.viewer.role).toBe('ADMIN');
    });
  });

  describe('over graphql-ws', () => {
    it('streams a subscription named by its hash to a reseller', async () => {
      const events: any[] = [];
      const errors: unknown[] = [];
      const stop = client(reseller.key).subscribe({ query: '', documentId: sha256(WALLET) } as { query: string }, {
        next: (result) => void events.push(result),
        error: (error) => void errors.push(error),
        complete: () => undefined,
      });
      // The subscribe has no acknowledgement: credit until the subscription, once live, sees a change.
      await waitFor(async () => {
        await credit(t, reseller.accountId, '1');
        return events.length > 0 || errors.length > 0;
      });
      stop();
      expect(errors).toEqual([]);
      expect(events[0].data.walletUpdated.balance.amount).toMatch(/^\d+\.\d{2}$/);
    });

    it('runs a query named by its hash, or by an APQ extension', async () => {
      // A client per operation: a lazy client closes once its last operation completes.
      const byId = await firstOf(client(reseller.key), { query: '', documentId: sha256(VIEWER) });
      expect(byId.data.viewer.role).toBe('RESELLER');
      const apq = await firstOf(client(reseller.key), {
        query: '',
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256(VIEWER) } },
      });
      expect(apq.data.viewer.role).toBe('RESELLER');
    });

    it('refuses operation text from a reseller key with FORBIDDEN', async () => {
      const outcome = await firstResult(client(reseller.key), FREE_FORM);
      expect(outcome.data).toBeUndefined();
      expect(outcome.errors).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(/only trusted documents/),
          extensions: { code: 'FORBIDDEN' },
        }),
      ]);
    });

    it('refuses a hash the manifest does not hold with BAD_USER_INPUT', async () => {
      const outcome = await firstOf(client(reseller.key), { query: '', documentId: sha256(FREE_FORM) });
      expect(outcome.errors).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(/Unknown documentId/),
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      ]);
    });

    it('still runs operation text from an admin key', async () => {
      expect((await firstResult(client(ADMIN_KEY), FREE_FORM)).data.viewer.role).toBe('ADMIN');
    });
  });
});

describe('trusted documents (TRUSTED_DOCUMENTS not set)', () => {
  let t: TestApp;
  let reseller: Reseller;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    reseller = await createReseller(t);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.close();
  });

  it('runs operation text for every key, over HTTP and graphql-ws', async () => {
    expect((await t.gql(FREE_FORM, undefined, reseller.key)).body.data.viewer.role).toBe('RESELLER');
    const ws = wsClient(t, reseller.key);
    clients.push(ws);
    expect((await firstResult(ws, FREE_FORM)).data.viewer.role).toBe('RESELLER');
  });

  it('refuses a documentId sent without text, saying no manifest is set', async () => {
    const { status, body } = await post(t, { documentId: sha256(VIEWER) }, reseller.key);
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      { message: expect.stringMatching(/no trusted-documents manifest/), extensions: { code: 'BAD_USER_INPUT' } },
    ]);
  });
});

describe('trusted documents at start', () => {
  it('refuses to start on a missing manifest, naming the file', async () => {
    const missing = path.join(os.tmpdir(), `no-such-manifest-${process.pid}.json`);
    await expect(startTestApp({ TRUSTED_DOCUMENTS: missing })).rejects.toThrow(
      `TRUSTED_DOCUMENTS: cannot read ${missing} (ENOENT).`,
    );
  });
});
