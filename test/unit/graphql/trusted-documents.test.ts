import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StartupError } from '../../../src/domain/startup-error';
import {
  loadTrustedDocuments,
  mayRunFreeForm,
  parseTrustedDocuments,
  resolveOperation,
  type TrustedDocuments,
} from '../../../src/graphql/trusted-documents';

const VIEWER = 'query Viewer { viewer { id } }';
const PROVIDERS = 'query Providers { providers { id } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What graphql-codegen's client preset writes: sha256 hex of each document → its text. */
const manifest = (...documents: string[]) => Object.fromEntries(documents.map((d) => [sha256(d), d]));

describe('loading the manifest', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trusted-docs-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('reads the client preset manifest and finds each document by its hash', () => {
    const trusted = loadTrustedDocuments(write('ok.json', JSON.stringify(manifest(VIEWER, PROVIDERS))));
    expect(trusted.size).toBe(2);
    expect(trusted.get(sha256(VIEWER))).toBe(VIEWER);
    expect(trusted.get(sha256(PROVIDERS))).toBe(PROVIDERS);
    expect(trusted.get(sha256('{ viewer { name } }'))).toBeUndefined();
  });

  it('stops the start, naming the file, when it is missing', () => {
    const file = path.join(dir, 'absent.json');
    expect(() => loadTrustedDocuments(file)).toThrow(StartupError);
    expect(() => loadTrustedDocuments(file)).toThrow(new RegExp(`TRUSTED_DOCUMENTS: cannot read ${file}.*ENOENT`));
  });

  it('stops the start, naming the file, when it is not JSON', () => {
    const file = write('bad.json', '{ "abc": ');
    expect(() => loadTrustedDocuments(file)).toThrow(`TRUSTED_DOCUMENTS: ${file} is not valid JSON.`);
  });

  it.each([
    ['an array', [VIEWER]],
    ['a string', VIEWER],
    ['null', null],
  ])('refuses %s instead of an object', (_label, json) => {
    expect(() => parseTrustedDocuments(json, 'm.json')).toThrow(/m\.json must be a JSON object/);
  });

  it.each([
    ['a number as document', { abc: 1 }],
    ['an empty document', { abc: '  ' }],
    ['an empty id', { '': VIEWER }],
  ])('refuses %s', (_label, json) => {
    expect(() => parseTrustedDocuments(json, 'm.json')).toThrow(StartupError);
  });

  it('refuses a document that does not parse', () => {
    const broken = 'query { viewer { id }';
    expect(() => parseTrustedDocuments({ [sha256(broken)]: broken }, 'm.json')).toThrow(
      /not a readable GraphQL document: Syntax Error/,
    );
  });

  it('refuses a sha256 id that is not the hash of its document, prefixed or not', () => {
    expect(() => parseTrustedDocuments({ [sha256(PROVIDERS)]: VIEWER }, 'm.json')).toThrow(
      /is not the sha256 of its document/,
    );
    expect(() => parseTrustedDocuments({ [`sha256:${sha256(PROVIDERS)}`]: VIEWER }, 'm.json')).toThrow(
      /is not the sha256 of its document/,
    );
  });

  it('takes ids of another form (sha1, a custom hash) as opaque', () => {
    const sha1 = createHash('sha1').update(VIEWER).digest('hex');
    const trusted = parseTrustedDocuments({ [sha1]: VIEWER, 'providers-v2': PROVIDERS }, 'm.json');
    expect(trusted.get(sha1)).toBe(VIEWER);
    expect(trusted.get('providers-v2')).toBe(PROVIDERS);
  });

  it('accepts ids with or without the sha256: prefix, on either side', () => {
    const prefixed = parseTrustedDocuments({ [`sha256:${sha256(VIEWER)}`]: VIEWER }, 'm.json');
    const bare = parseTrustedDocuments(manifest(VIEWER), 'm.json');
    for (const trusted of [prefixed, bare]) {
      expect(trusted.get(sha256(VIEWER))).toBe(VIEWER);
      expect(trusted.get(`sha256:${sha256(VIEWER)}`)).toBe(VIEWER);
      expect(trusted.get(sha256(VIEWER).toUpperCase())).toBe(VIEWER);
    }
  });

  it('refuses two different documents under one id', () => {
    const sha1 = createHash('sha1').update(VIEWER).digest('hex');
    expect(() => parseTrustedDocuments({ [sha1]: VIEWER, [sha1.toUpperCase()]: PROVIDERS }, 'm.json')).toThrow(
      /two different documents/,
    );
  });

  it('does not take inherited object keys for documents', () => {
    const trusted = parseTrustedDocuments(manifest(VIEWER), 'm.json');
    expect(trusted.get('constructor')).toBeUndefined();
    expect(trusted.get('__proto__')).toBeUndefined();
  });
});

describe('choosing the document of a request', () => {
  const trusted: TrustedDocuments = parseTrustedDocuments(manifest(VIEWER), 'm.json');
  const code = (source: ReturnType<typeof resolveOperation>) =>
    source.kind === 'refused' ? source.error.extensions.code : source.kind;

  it('runs the stored text for a known documentId, whatever query came along', () => {
    expect(resolveOperation(trusted, { documentId: sha256(VIEWER) })).toEqual({
      kind: 'stored',
      query: VIEWER,
      via: 'documentId',
    });
    expect(resolveOperation(trusted, { documentId: `sha256:${sha256(VIEWER)}`, query: '' })).toMatchObject({
      kind: 'stored',
      query: VIEWER,
    });
  });

  it("runs the stored text for a known APQ hash, never Apollo's cache", () => {
    expect(
      resolveOperation(trusted, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(VIEWER) } } }),
    ).toEqual({ kind: 'stored', query: VIEWER, via: 'persistedQuery' });
  });

  it('refuses an unknown documentId or APQ hash with BAD_USER_INPUT', () => {
    const unknown = resolveOperation(trusted, { documentId: sha256('{ viewer { name } }') });
    expect(code(unknown)).toBe('BAD_USER_INPUT');
    expect(unknown.kind === 'refused' && unknown.error.message).toMatch(/Unknown documentId/);
    const apq = resolveOperation(trusted, {
      extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
    });
    expect(apq.kind === 'refused' && apq.error.message).toBe('PersistedQueryNotFound');
  });

  it('refuses a documentId that is not a string', () => {
    expect(code(resolveOperation(trusted, { documentId: 42 }))).toBe('BAD_USER_INPUT');
  });

  it('takes operation text as free-form, also beside an unknown id (APQ registration)', () => {
    expect(resolveOperation(trusted, { query: '{ viewer { id } }' }).kind).toBe('free-form');
    expect(resolveOperation(trusted, {}).kind).toBe('free-form');
    expect(resolveOperation(trusted, { query: '{ viewer { id } }', documentId: 'nope' }).kind).toBe('free-form');
    expect(
      resolveOperation(trusted, {
        query: '{ viewer { id } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
      }).kind,
    ).toBe('free-form');
  });

  it('lets only admins run free-form text', () => {
    expect(mayRunFreeForm({ accountId: 'a', role: 'ADMIN', markupPercent: '0' })).toBe(true);
    expect(mayRunFreeForm({ accountId: 'r', role: 'RESELLER', markupPercent: '0' })).toBe(false);
  });

  it('without a manifest, changes nothing but a documentId sent without text', () => {
    expect(resolveOperation(null, { query: '{ viewer { id } }' }).kind).toBe('pass');
    expect(resolveOperation(null, { query: '{ viewer { id } }', documentId: sha256(VIEWER) }).kind).toBe('pass');
    expect(resolveOperation(null, { extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }).kind).toBe(
      'pass',
    );
    const refused = resolveOperation(null, { documentId: sha256(VIEWER), query: '' });
    expect(code(refused)).toBe('BAD_USER_INPUT');
    expect(refused.kind === 'refused' && refused.error.message).toMatch(/no trusted-documents manifest/);
  });
});
