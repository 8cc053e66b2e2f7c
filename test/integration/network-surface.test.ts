import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createApp } from '../../src/app/create-app';
import { loadConfig } from '../../src/config';
import { testLogger } from '../helpers/logger';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';
import { GRAPHQL_WS, wsUrl } from '../helpers/ws-client';

const SHOP = 'https://shop.example.com';
const LOCAL_DEV = 'http://localhost:5173';

/** What the upgrade answered: 101 once the socket opened, or the HTTP status it was refused with. */
function upgradeStatus(t: TestApp, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(t), GRAPHQL_WS, { headers });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => {
      response.resume();
      socket.terminate();
      resolve(response.statusCode ?? 0);
    });
    socket.once('error', (error) => {
      if (socket.readyState !== WebSocket.CLOSED) reject(error);
    });
  });
}

const preflight = (t: TestApp, origin: string) =>
  fetch(`${t.url}/graphql`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });

describe('CORS_ORIGINS: browser origins for HTTP and WebSocket alike', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: `${SHOP}, ${LOCAL_DEV}/` });
  });
  afterAll(() => t.close());

  it('answers a listed origin’s preflight, and its requests carry Access-Control-Allow-Origin', async () => {
    const answer = await preflight(t, LOCAL_DEV);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(LOCAL_DEV);
    expect(answer.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();

    const query = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { origin: SHOP, 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(query.status).toBe(200);
    expect(query.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(query.headers.get('vary')).toMatch(/origin/i);
  });

  it('gives any other origin no CORS header, so its browser keeps the answer from the page', async () => {
    const answer = await preflight(t, 'https://evil.example.net');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const query = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { origin: 'https://shop.example.com.evil.net', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(query.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a WebSocket from another origin before any socket exists, and takes listed, own and origin-less ones', async () => {
    expect(await upgradeStatus(t, { origin: 'https://evil.example.net' })).toBe(403);
    expect(await upgradeStatus(t, { origin: 'null' })).toBe(403);
    expect(await upgradeStatus(t, { origin: SHOP })).toBe(101);
    // GraphiQL, served from the gateway itself.
    expect(await upgradeStatus(t, { origin: t.url })).toBe(101);
    // Not a browser: nothing to forge on anyone's behalf; the key decides.
    expect(await upgradeStatus(t, {})).toBe(101);
  });
});

describe('without CORS_ORIGINS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('allows no other origin at all, over HTTP or WebSocket', async () => {
    expect((await preflight(t, SHOP)).headers.get('access-control-allow-origin')).toBeNull();
    expect(await upgradeStatus(t, { origin: SHOP })).toBe(403);
    expect(await upgradeStatus(t, { origin: t.url })).toBe(101);
  });
});

describe('HOST', () => {
  it('listens on loopback only by default', async () => {
    const app = await createApp(
      loadConfig({ PORT: '0', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'esim-host-')) }),
      { logger: testLogger },
    );
    try {
      expect(app.httpServer.address()).toMatchObject({ address: '127.0.0.1' });
    } finally {
      await app.dispose();
    }
  });

  it('refuses a CORS origin that is not scheme://host[:port], naming the variable', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://ok.example, *' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ CORS_ORIGINS: 'shop.example.com' })).toThrow(/CORS_ORIGINS/);
  });
});
