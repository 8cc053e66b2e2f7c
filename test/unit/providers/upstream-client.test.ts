import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_UPSTREAM_POLICY,
  UpstreamHttpClient,
  type UpstreamPolicy,
  type UpstreamRequest,
} from '../../../src/providers/http/upstream-client';
import { testLogger } from '../../helpers/logger';

/** One request as the fake upstream saw it. */
interface Hit {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** Set when the client closed the connection before it was answered. */
  abandoned: boolean;
}

type Answer = (res: ServerResponse, hit: Hit, nth: number) => void;

/** A tiny upstream on port 0 that counts requests per path and answers through `answer`. */
class FakeUpstream {
  readonly hits: Hit[] = [];
  private server!: Server;

  constructor(private answer: Answer) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  on(path: string): Hit[] {
    return this.hits.filter((h) => h.path === path);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const hit: Hit = {
          at: Date.now(),
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body,
          abandoned: false,
        };
        this.hits.push(hit);
        res.on('close', () => {
          if (!res.writableFinished) hit.abandoned = true;
        });
        this.answer(res, hit, this.on(hit.path).length);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const ok: Answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
const status =
  (code: number, headers: Record<string, string> = {}): Answer =>
  (res) =>
    res.writeHead(code, { 'content-type': 'application/json', ...headers }).end('{}');
const hang: Answer = () => undefined;
/** The first `n` requests of each path get `first`, the rest `then`. */
const firstThen =
  (n: number, first: Answer, then: Answer = ok): Answer =>
  (res, hit, nth) =>
    (nth <= n ? first : then)(res, hit, nth);

const POLICY: UpstreamPolicy = {
  ...DEFAULT_UPSTREAM_POLICY,
  timeoutMs: 2000,
  rateLimit: { limit: 1000, windowMs: 1000 },
  maxAttempts: 4,
  retryBaseMs: 5,
  retryMaxMs: 20,
  breakerThreshold: 100,
  halfOpenAfterMs: 200,
};
const READ: UpstreamRequest = { method: 'GET', path: '/read', idempotent: true, operation: 'read' };

const started: FakeUpstream[] = [];
async function upstream(answer: Answer): Promise<FakeUpstream> {
  const fake = await new FakeUpstream(answer).start();
  started.push(fake);
  return fake;
}
function client(fake: FakeUpstream, policy: Partial<UpstreamPolicy> = {}): UpstreamHttpClient {
  return new UpstreamHttpClient('esimtrade', fake.url, { ...POLICY, ...policy }, testLogger);
}
const gaps = (hits: readonly Hit[]) => hits.slice(1).map((h, i) => h.at - hits[i].at);

afterEach(async () => {
  await Promise.all(started.splice(0).map((f) => f.close()));
});

describe('UpstreamHttpClient retries (C22)', () => {
  it('C22 retries a read that keeps failing 503 exactly maxAttempts times, then fails PROVIDER_UNAVAILABLE', async () => {
    const fake = await upstream(status(503));
    await expect(client(fake).request(READ)).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      reason: 'SERVER_ERROR',
    });
    expect(fake.hits).toHaveLength(POLICY.maxAttempts);
  });

  it('C22 sends a write without an upstream idempotency key once, whether it fails 503 or times out', async () => {
    const fake = await upstream((res, hit, nth) => (hit.path === '/order' ? status(503) : hang)(res, hit, nth));
    const write = (path: string): UpstreamRequest => ({
      method: 'POST',
      path,
      body: { bundle_code: 'X' },
      idempotent: false,
      operation: 'bundle/sell',
    });
    await expect(client(fake).request(write('/order'))).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      reason: 'SERVER_ERROR',
    });
    await expect(client(fake, { timeoutMs: 150 }).request(write('/slow-order'))).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      reason: 'TIMEOUT',
    });
    expect(fake.on('/order')).toHaveLength(1);
    expect(fake.on('/slow-order')).toHaveLength(1);
  });

  it('C22 retries an idempotency-keyed write with the same key and the same bytes', async () => {
    const fake = await upstream(firstThen(2, status(502)));
    const write: UpstreamRequest = {
      method: 'POST',
      path: '/portal/order',
      body: { slug: 'fr-1gb', quantity: 1 },
      headers: { 'idempotency-key': 'part-1' },
      idempotent: true,
      operation: 'order/create',
    };
    await expect(client(fake).request(write)).resolves.toMatchObject({ status: 200 });
    expect(fake.hits).toHaveLength(3);
    expect(new Set(fake.hits.map((h) => `${h.headers['idempotency-key']} ${h.body}`))).toEqual(
      new Set(['part-1 {"slug":"fr-1gb","quantity":1}']),
    );
  });

  it('C22 caps every backoff at retryMaxMs', async () => {
    const fake = await upstream(status(500));
    await expect(client(fake, { maxAttempts: 6, retryBaseMs: 40, retryMaxMs: 60 }).request(READ)).rejects.toMatchObject(
      { code: 'PROVIDER_UNAVAILABLE' },
    );
    expect(fake.hits).toHaveLength(6);
    for (const gap of gaps(fake.hits)) expect(gap).toBeLessThan(60 + 150); // uncapped, the last would be 1280 ms; slack for a loaded machine
  });

  it('C22 jitters retry delays: ten clients failing at the same moment do not come back in lock-step', async () => {
    const fake = await upstream(firstThen(1, status(503)));
    const clients = Array.from({ length: 10 }, () => client(fake, { retryBaseMs: 100, retryMaxMs: 1000 }));
    await Promise.all(clients.map((c, i) => c.request({ ...READ, path: `/read/${i}` })));
    // Full jitter: the first backoff is uniform in [0, 200] ms for each client.
    const delays = clients.map((_, i) => gaps(fake.on(`/read/${i}`))[0]);
    for (const delay of delays) expect(delay).toBeLessThan(200 + 150);
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(40);
  });

  it.each([
    ['429', 429],
    ['503', 503],
  ])('C22 waits at least Retry-After (seconds) after a %s, plus a little jitter', async (_name, code) => {
    const fake = await upstream(firstThen(1, status(code, { 'retry-after': '1' })));
    await expect(client(fake, { retryBaseMs: 50 }).request(READ)).resolves.toMatchObject({ status: 200 });
    expect(fake.hits).toHaveLength(2);
    const [gap] = gaps(fake.hits);
    expect(gap).toBeGreaterThanOrEqual(1000);
    expect(gap).toBeLessThan(1000 + 50 + 300);
  });

  it('C22 waits until a Retry-After HTTP date', async () => {
    let until = 0;
    const fake = await upstream(
      firstThen(1, (res, hit, nth) => {
        until = Math.ceil((Date.now() + 1000) / 1000) * 1000;
        status(429, { 'retry-after': new Date(until).toUTCString() })(res, hit, nth);
      }),
    );
    // The date has whole seconds, so the wait may be close to 2 s: a deadline that leaves room for it.
    await expect(client(fake, { timeoutMs: 5000 }).request(READ)).resolves.toMatchObject({ status: 200 });
    expect(fake.hits).toHaveLength(2);
    expect(fake.hits[1].at).toBeGreaterThanOrEqual(until - 5);
  });

  it('C22 never retries before Retry-After: one past the call deadline fails at once with RATE_LIMITED and the hint', async () => {
    const fake = await upstream(firstThen(1, status(429, { 'retry-after': '30' })));
    const begun = Date.now();
    await expect(client(fake).request(READ)).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 30_000 });
    expect(Date.now() - begun).toBeLessThan(500);
    expect(fake.hits).toHaveLength(1);
  });
});

describe('UpstreamHttpClient timeouts (C23)', () => {
  it('C23 bounds a whole call by timeoutMs, retries included, and closes the abandoned connection', async () => {
    const fake = await upstream(firstThen(1, status(503), hang));
    const begun = Date.now();
    await expect(client(fake, { timeoutMs: 300 }).request(READ)).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      reason: 'TIMEOUT',
    });
    const elapsed = Date.now() - begun;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 250); // a deadline per attempt would take 600 ms or more
    // The deadline passed during the second attempt: no third one.
    expect(fake.hits).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.hits[1].abandoned).toBe(true);
  });
});

describe('UpstreamHttpClient circuit breaker (C20)', () => {
  it('C20 does not open the circuit for failures its retries absorb', async () => {
    // Four failures out of every five requests: every call still succeeds on its fifth attempt.
    const fake = await upstream((res, hit) => (fake.hits.indexOf(hit) % 5 === 4 ? ok : status(503))(res, hit, 0));
    const http = client(fake, { maxAttempts: 5, breakerThreshold: 3 });
    for (let i = 0; i < 4; i++) await expect(http.request(READ)).resolves.toMatchObject({ status: 200 });
    expect(fake.hits).toHaveLength(20);
    expect(http.health()).toMatchObject({ status: 'UP', circuitOpen: false });
  });

  it('C20 opens after breakerThreshold failed calls, refuses at once without calling, and one half-open probe closes it', async () => {
    let down = true;
    const fake = await upstream((res, hit, nth) => (down ? status(503) : ok)(res, hit, nth));
    const http = client(fake, { maxAttempts: 2, breakerThreshold: 2, halfOpenAfterMs: 300 });
    for (let i = 0; i < 2; i++) await expect(http.request(READ)).rejects.toMatchObject({ reason: 'SERVER_ERROR' });
    expect(fake.hits).toHaveLength(4);
    expect(http.health()).toMatchObject({ status: 'DOWN', circuitOpen: true });

    const begun = Date.now();
    for (let i = 0; i < 10; i++)
      await expect(http.request(READ)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', reason: 'CIRCUIT_OPEN' });
    expect(Date.now() - begun).toBeLessThan(250);
    expect(fake.hits).toHaveLength(4);

    down = false;
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(http.request(READ)).resolves.toMatchObject({ status: 200 });
    expect(fake.hits).toHaveLength(5);
    expect(http.health()).toMatchObject({ status: 'UP', circuitOpen: false });
  });
});
