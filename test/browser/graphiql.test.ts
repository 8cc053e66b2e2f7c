import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createReseller, credit } from '../helpers/ordering';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/ws-client';

/** Debian's Chromium: playwright-core drives it and never downloads a browser of its own. */
const CHROMIUM = '/usr/bin/chromium';
const WAIT_MS = 15_000;
/** What a first visit transfers, page and every asset the browser asks for (measured: ~1.6 MB). */
const FIRST_VISIT_LIMIT = 2 * 1024 * 1024;

/** Waits for `text` in `selector` (Playwright reads Monaco's U+00A0 spaces as spaces). */
async function waitForText(page: Page, selector: string, text: string): Promise<void> {
  try {
    await page.locator(selector, { hasText: text }).first().waitFor({ timeout: WAIT_MS });
  } catch (error) {
    const seen = await page
      .locator(selector)
      .first()
      .textContent({ timeout: 1000 })
      .catch(() => null);
    throw new Error(
      `${selector} never showed ${JSON.stringify(text)}; it shows ${JSON.stringify(seen?.slice(0, 400))}`,
      {
        cause: error,
      },
    );
  }
}

/** The hint the page writes over GraphiQL's "Error fetching schema" (CSS content, not text). */
function docsHint(page: Page): Promise<string> {
  return page
    .locator('.graphiql-doc-explorer-error')
    .evaluate((element) => getComputedStyle(element, '::after').content);
}

function suite(): void {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const transferred = new Map<string, { bytes: number; encoding: string | undefined }>();
  const frames = { sent: [] as string[], received: [] as string[] };
  const screenshot = path.join(os.tmpdir(), 'graphiql-browser-test.png');

  beforeAll(async () => {
    const app = startTestApp().then(async (started) => {
      // Without `npm run build` the app compresses GraphiQL on the first visit: not the browser's wait.
      await fetch(`${started.url}/graphql`, { headers: { accept: 'text/html' } });
      return started;
    });
    [t, browser] = await Promise.all([
      app,
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] }),
    ]);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(WAIT_MS);
    page.on('websocket', (ws) => {
      ws.on('framesent', (f) => frames.sent.push(String(f.payload)));
      ws.on('framereceived', (f) => frames.received.push(String(f.payload)));
    });
    page.on('response', async (response) => {
      const url = new URL(response.url());
      if (response.request().method() !== 'GET' || !url.pathname.startsWith('/graphql')) return;
      const sizes = await response.request().sizes();
      transferred.set(url.pathname, {
        bytes: sizes.responseBodySize,
        encoding: (await response.allHeaders())['content-encoding'],
      });
    });
  }, 60_000);

  afterAll(async () => {
    await page?.screenshot({ path: screenshot }).catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  it('opens with a key hint in the docs pane instead of "Error fetching schema"', async () => {
    await page.goto(`${t.url}/graphql`);
    await waitForText(page, '#api-key-status', 'Paste an API key');
    await page.locator('button[aria-label="Show Documentation Explorer"]').click();
    await page.locator('.graphiql-doc-explorer-error').waitFor();
    expect(await docsHint(page)).toContain('No API key yet');
  });

  it('says when the key is refused, and loads the schema as soon as a good key is pasted', async () => {
    await page.locator('#api-key').fill('not-a-key');
    await waitForText(page, '#api-key-status', 'refused');
    await page.locator('.graphiql-doc-explorer-error').waitFor();
    expect(await docsHint(page)).toContain('refused this API key');

    await page.locator('#api-key').fill(ADMIN_KEY);
    await waitForText(page, '#api-key-status', 'Key accepted');
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Query', { exact: true }).first().click();
    await docs.getByText('providers', { exact: true }).first().waitFor();
    await docs.getByText('plans', { exact: true }).first().waitFor();
    expect(await page.locator('.graphiql-doc-explorer-error').count()).toBe(0);
  });

  it('runs the default catalog query and shows providers and priced plans', async () => {
    const answer = page.waitForResponse(
      (r) => r.request().method() === 'POST' && /Catalog/.test(r.request().postData() ?? ''),
    );
    await page.locator('button[aria-label^="Execute query"]').click();
    const body = await (await answer).json();
    expect(body.data.providers.map((p: { id: string }) => p.id)).toContain('esimaccess');
    expect(body.data.plans.nodes[0].price).toEqual({ amount: expect.stringMatching(/^\d+\.\d+$/), currency: 'USD' });
    await waitForText(page, '.graphiql-response', '"totalCount"');
    await waitForText(page, '.graphiql-response', `"amount": "${body.data.plans.nodes[0].price.amount}"`);
  });

  it('streams walletUpdated from the second tab over graphql-ws, with the key as connection param', async () => {
    await page.getByRole('tab', { name: /WalletUpdates/ }).click();
    await waitForText(page, '.graphiql-query-editor', 'subscription WalletUpdates');
    const sent = (type: string) => frames.sent.map((f) => JSON.parse(f)).find((m) => m.type === type);
    // Right after a tab switch GraphiQL may still hold the previous tab's operation name ("Cannot
    // infer operation Catalog"): run again until the subscription goes out, as a person would.
    const stale = page.locator('.graphiql-response', { hasText: 'Cannot infer operation' });
    for (let attempt = 0; !sent('subscribe') && attempt < 5; attempt++) {
      await page.locator('button[aria-label^="Execute query"]').click();
      await waitFor(async () => sent('subscribe') !== undefined || (await stale.count()) > 0, WAIT_MS);
    }
    expect(sent('subscribe')?.payload.operationName).toBe('WalletUpdates');
    expect(sent('connection_init').payload.authorization).toBe(`Bearer ${ADMIN_KEY}`);

    // The server registers the subscription a moment after its frame: credit until an event comes.
    const reseller = await createReseller(t);
    const event = () => frames.received.map((f) => JSON.parse(f)).find((m) => m.type === 'next');
    for (let attempt = 0; !event() && attempt < 10; attempt++) {
      await credit(t, reseller.accountId, '12.34');
      await waitFor(() => event() !== undefined, 1000).catch(() => undefined);
    }
    expect(event()?.payload.data.walletUpdated.balance).toEqual({
      amount: expect.stringMatching(/^\d+\.\d{2}$/),
      currency: 'USD',
    });
    await waitForText(page, '.graphiql-response', '"walletUpdated"');
  });

  it('got every file compressed or compressed already, under 2 MB in all', () => {
    const entries = [...transferred.entries()];
    const total = entries.reduce((sum, [, r]) => sum + r.bytes, 0);
    process.stdout.write(`GraphiQL first visit: ${entries.length} GETs, ${total} bytes transferred\n`);
    for (const [pathname, { encoding }] of entries)
      if (!/\.(woff2?|ico)$/.test(pathname))
        expect([pathname, encoding]).toEqual([pathname, expect.stringMatching(/br|gzip/)]);
    expect(entries.some(([p]) => p.endsWith('.js'))).toBe(true);
    expect(total).toBeLessThan(FIRST_VISIT_LIMIT);
  });
}

if (fs.existsSync(CHROMIUM)) describe('GraphiQL in Chromium', suite);
else if (process.env.CI)
  it(`finds Chromium at ${CHROMIUM} (CI installs it in .ci/run)`, () => {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  });
else it.skip(`GraphiQL in Chromium: skipped, no ${CHROMIUM} (apt-get install chromium to run it)`, () => undefined);
