/** Where the page's key stands; the page shows it as `<html data-api-key>` and in a status line. */
export type ApiKeyState = 'missing' | 'checking' | 'accepted' | 'refused';

/** What the key field needs to find in the page (graphiql-page.ts writes the markup). */
export interface ApiKeyFieldOptions {
  /** sessionStorage item that keeps the key across reloads of the tab (and no longer). */
  readonly item: string;
  /** Path of the GraphQL endpoint: only same-origin requests to it get the key. */
  readonly endpoint: string;
  /** Ids of the key's `<input>` and of its status line. */
  readonly inputId: string;
  readonly statusId: string;
  /** The status line's words for each state. */
  readonly messages: Readonly<Record<ApiKeyState, string>>;
}

interface FieldLike {
  value: string;
  textContent: string | null;
  addEventListener(type: string, listener: () => void): void;
}

interface FetchInit {
  readonly headers?: unknown;
}

/** The browser globals this uses, typed as far as it uses them (the build has no DOM lib). */
export interface ApiKeyWindow {
  fetch(input: unknown, init?: FetchInit): Promise<{ readonly status: number }>;
  Headers: new (init?: unknown) => { set(name: string, value: string): void; has(name: string): boolean };
  URL: new (url: string, base: string) => { readonly origin: string; readonly pathname: string };
  location: { readonly href: string; readonly origin: string };
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  MutationObserver: new (callback: () => void) => {
    observe(target: unknown, options: Record<string, unknown>): void;
    disconnect(): void;
  };
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  document: {
    readonly body: unknown;
    readonly documentElement: { setAttribute(name: string, value: string): void };
    getElementById(id: string): unknown;
    querySelector(selector: string): unknown;
  };
}

/**
 * Runs in the browser, before GraphiQL loads: the page's API key field. Every request GraphiQL
 * sends to the endpoint carries `Authorization: Bearer <key>` (over the Headers tab's; an empty
 * field leaves the Headers tab's alone), so the first introspection already has the key when one
 * was set in this tab. Entering or changing the key re-fetches the schema through GraphiQL's own
 * re-fetch button, once no introspection is in flight (GraphiQL lets a late answer's error win
 * over a newer schema). Self-contained on purpose: its source text is inlined into the page.
 */
export function installApiKeyField(win: ApiKeyWindow, options: ApiKeyFieldOptions): void {
  const doc = win.document;
  const input = doc.getElementById(options.inputId) as FieldLike;
  const status = doc.getElementById(options.statusId) as FieldLike;
  const read = (): string => {
    try {
      return win.sessionStorage.getItem(options.item) ?? '';
    } catch {
      return '';
    }
  };
  let key = read();
  let generation = 0;
  const show = (state: ApiKeyState) => {
    doc.documentElement.setAttribute('data-api-key', state);
    status.textContent = options.messages[state];
  };

  const nativeFetch = win.fetch.bind(win);
  win.fetch = async (target: unknown, init?: FetchInit) => {
    const url = typeof target === 'string' || (target && target instanceof win.URL) ? String(target) : null;
    const parsed = url === null ? null : new win.URL(url, win.location.href);
    if (!parsed || parsed.origin !== win.location.origin || parsed.pathname !== options.endpoint)
      return nativeFetch(target, init);
    const headers = new win.Headers(init?.headers);
    if (key) headers.set('authorization', `Bearer ${key}`);
    const sent = generation;
    const response = await nativeFetch(target, { ...init, headers });
    // A late answer for an earlier key says nothing about this one.
    if (sent === generation && headers.has('authorization')) {
      if (response.status === 401) show('refused');
      else if (response.status < 400) show('accepted');
    }
    return response;
  };

  let observer: InstanceType<ApiKeyWindow['MutationObserver']> | null = null;
  const clickRefetch = (): boolean => {
    const button = doc.querySelector('button[aria-label^="Re-fetch GraphQL schema"]') as {
      disabled: boolean;
      click(): void;
    } | null;
    if (!button || button.disabled) return false;
    button.click();
    return true;
  };
  const refetchSchema = () => {
    observer?.disconnect();
    observer = null;
    if (clickRefetch()) return;
    const waiting = new win.MutationObserver(() => {
      if (clickRefetch()) waiting.disconnect();
    });
    waiting.observe(doc.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
    observer = waiting;
  };

  const apply = () => {
    // People paste the header value as often as the key.
    const next = input.value.trim().replace(/^bearer\s+/i, '');
    if (next === key) return;
    key = next;
    generation += 1;
    try {
      win.sessionStorage.setItem(options.item, key);
    } catch {
      // storage refused (private mode): the key lasts until the page is closed
    }
    show(key ? 'checking' : 'missing');
    if (key) refetchSchema();
  };
  let pending: unknown = null;
  input.addEventListener('input', () => {
    win.clearTimeout(pending);
    pending = win.setTimeout(apply, 300);
  });
  input.addEventListener('change', apply);
  input.value = key;
  show(key ? 'checking' : 'missing');
}
