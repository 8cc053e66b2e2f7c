import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { compressFiles, readArtefact, writeArtefact } from '../../src/http/graphiql-artefact';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';

const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const WIRE_LIMIT = 1.5 * 1024 * 1024;

interface Raw {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The bytes as they came over the wire, still compressed. */
  readonly body: Buffer;
}

/** A GET that counts bytes on the wire: fetch would decompress them. */
function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

function decode(res: Raw): string {
  const encoding = res.headers['content-encoding'];
  return (
    encoding === 'br' ? zlib.brotliDecompressSync(res.body) : encoding === 'gzip' ? zlib.gunzipSync(res.body) : res.body
  ).toString();
}

function assetPaths(html: string): string[] {
  return [...html.matchAll(/"(\/graphql\/assets\/[^"]+)"/g)].map((m) => m[1]);
}

/** Finding 8: the anonymous GraphiQL page was 9 MB and 50 ms of CPU per GET. */
describe('GraphiQL, anonymous and static', () => {
  let t: TestApp;
  let page: Raw;
  beforeAll(async () => {
    t = await startTestApp();
    page = await get(t.url, '/graphql', { ...BROWSER, 'accept-encoding': 'gzip, deflate, br' });
  });
  afterAll(() => t.close());

  it('sends the page brotli-compressed, small, with an ETag and a revalidation Cache-Control', () => {
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-encoding']).toBe('br');
    expect(page.body.length).toBeLessThan(WIRE_LIMIT);
    expect(page.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers.vary).toMatch(/Accept-Encoding/);
    expect(decode(page)).toContain('YogaGraphiQL.renderYogaGraphiQL');
  });

  it('answers If-None-Match with 304 and no body, for the page and for an asset', async () => {
    const again = await get(t.url, '/graphql', {
      ...BROWSER,
      'accept-encoding': 'br',
      'if-none-match': page.headers.etag!,
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const asset = assetPaths(decode(page))[0];
    const first = await get(t.url, asset, { 'accept-encoding': 'br' });
    expect((await get(t.url, asset, { 'accept-encoding': 'br', 'if-none-match': first.headers.etag! })).status).toBe(
      304,
    );
    expect((await get(t.url, asset, { 'accept-encoding': 'br', 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('serves every asset the page references, each under 1.5 MB with br or gzip, cached for good', async () => {
    const html = decode(page);
    const assets = assetPaths(html);
    expect(assets.filter((p) => p.endsWith('.js'))).toHaveLength(4);
    expect(assets.some((p) => p.endsWith('.css'))).toBe(true);
    let brTotal = 0;
    for (const path of assets) {
      const [br, gz] = await Promise.all([
        get(t.url, path, { 'accept-encoding': 'br' }),
        get(t.url, path, { 'accept-encoding': 'gzip' }),
      ]);
      expect([br.status, br.headers['content-encoding'], gz.headers['content-encoding']]).toEqual([200, 'br', 'gzip']);
      expect(br.body.length).toBeLessThan(WIRE_LIMIT);
      expect(gz.body.length).toBeLessThan(WIRE_LIMIT);
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(zlib.brotliDecompressSync(br.body).equals(zlib.gunzipSync(gz.body))).toBe(true);
      if (path.endsWith('.js')) {
        expect(br.headers['content-type']).toMatch(/^text\/javascript/);
        expect(() => new vm.Script(zlib.brotliDecompressSync(br.body).toString(), { filename: path })).not.toThrow();
      }
      brTotal += br.body.length;
    }
    // The whole page in one 9 MB document was 1.7 MB even at brotli 11.
    expect(brTotal).toBeLessThan(2.5 * 1024 * 1024);
  });

  it('loads nothing from another origin and wires the Headers-tab key into WebSocket before GraphiQL', () => {
    const html = decode(page);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(scripts[0]).toContain('graphiql:headers');
    for (const script of scripts) expect(() => new vm.Script(script)).not.toThrow();
    expect(html.indexOf('graphiql:headers')).toBeLessThan(html.indexOf('<script src='));
  });

  it("moves the stylesheet's fonts into cached assets, sent as they are when compression gains nothing", async () => {
    const css = assetPaths(decode(page)).find((p) => p.endsWith('.css'))!;
    const text = decode(await get(t.url, css, { 'accept-encoding': 'br' }));
    expect(text).not.toMatch(/data:font\//);
    const fonts = [...text.matchAll(/url\((\/graphql\/assets\/font\.[\w-]+\.(?:woff2?|ttf))\)/g)].map((m) => m[1]);
    expect(new Set(fonts).size).toBeGreaterThan(10);
    const woff2 = await get(
      t.url,
      fonts.find((f) => f.endsWith('.woff2'))!,
      { 'accept-encoding': 'gzip, br' },
    );
    expect([woff2.status, woff2.headers['content-encoding'], woff2.headers['content-type']]).toEqual([
      200,
      undefined,
      'font/woff2',
    ]);
    expect(woff2.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const ttf = await get(
      t.url,
      fonts.find((f) => f.endsWith('.ttf'))!,
      { 'accept-encoding': 'br' },
    );
    expect(ttf.headers['content-encoding']).toBe('br');
  });

  it('sends identity only to a client that accepts no compression', async () => {
    const plain = await get(t.url, '/graphql', BROWSER);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(decode(page));
    expect(plain.headers.etag).not.toBe(page.headers.etag);
  });

  it('leaves GraphQL on /graphql to Apollo and 404s unknown assets', async () => {
    expect((await get(t.url, '/graphql/assets/nope.js', { 'accept-encoding': 'br' })).status).toBe(404);
    expect((await get(t.url, '/graphql/assets/index.html')).status).toBe(404);
    const api = await get(t.url, '/graphql?query=%7B__typename%7D', {
      accept: 'application/json',
      'apollo-require-preflight': '1',
      authorization: `Bearer ${ADMIN_KEY}`,
    });
    expect(JSON.parse(api.body.toString())).toEqual({ data: { __typename: 'Query' } });
    expect((await t.gql('{ viewer { role } }')).body.data.viewer.role).toBe('ADMIN');
  });

  it('costs little CPU per GET once loaded (precise figure: npm run bench:graphiql)', async () => {
    const js = assetPaths(decode(page)).find((p) => /graphiql\.[\w-]+\.js$/.test(p))!;
    await get(t.url, js, { 'accept-encoding': 'br' });
    const before = process.cpuUsage();
    for (let i = 0; i < 20; i++) {
      await get(t.url, '/graphql', { ...BROWSER, 'accept-encoding': 'br' });
      await get(t.url, js, { 'accept-encoding': 'br' });
    }
    const used = process.cpuUsage(before);
    // Client and server share this process; rendering the page per GET cost about 50 ms.
    expect((used.user + used.system) / 1000 / 40).toBeLessThan(15);
  });
});

describe('GRAPHIQL=false', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ GRAPHIQL: 'false' });
  });
  afterAll(() => t.close());

  it('gives a browser what any other GET /graphql gets, and no assets', async () => {
    const browser = await get(t.url, '/graphql', { ...BROWSER, 'accept-encoding': 'br' });
    const other = await get(t.url, '/graphql', { accept: 'application/json' });
    expect(browser.status).toBe(other.status);
    expect(browser.headers['content-type']).not.toMatch(/html/);
    expect(browser.body.length).toBeLessThan(1024);
    expect(browser.body.toString()).toBe(other.body.toString());
    expect(
      (await get(t.url, '/graphql/assets/graphiql.js', { 'accept-encoding': 'br' })).headers['content-type'],
    ).not.toMatch(/javascript|html/);
  });
});

describe('the built artefact (npm run build writes dist/graphiql)', () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'graphiql-artefact-')), 'graphiql');
  afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('reads back exactly what the build wrote, and nothing from an incomplete one', async () => {
    const files = await compressFiles(
      [
        { name: 'index.html', type: 'text/html; charset=utf-8', body: Buffer.from('<p>page</p>'.repeat(100)) },
        { name: 'a.123.js', type: 'text/javascript; charset=utf-8', body: Buffer.from('let a = 1;') },
      ],
      5,
    );
    await writeArtefact(dir, files);
    expect(await readArtefact(dir)).toEqual(files);
    fs.rmSync(path.join(dir, 'a.123.js.br'));
    expect(await readArtefact(dir)).toBeNull();
    expect(await readArtefact(path.join(dir, 'missing'))).toBeNull();
  });
});
