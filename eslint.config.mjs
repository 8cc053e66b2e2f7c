// ESLint owns correctness and the architecture; Prettier owns formatting (`npm run format:check`),
// so no stylistic rules here.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/ (STYLE.md "Folder tree"). Imports flow down and never up:
 * main → app → {graphql, http, sandbox} → services → {providers, db, infra} → domain.
 * cli (scripts such as the accounts CLI) sits beside app: a composition root of its own, no HTTP.
 * `config` is parsed at the top and passed down as values; its types may be imported anywhere.
 * The first matching descriptor wins, so the narrower ones come first.
 */
const elements = [
  { type: 'app', pattern: 'src/app', partialMatch: false },
  { type: 'cli', pattern: 'src/cli', partialMatch: false },
  { type: 'graphql', pattern: 'src/graphql', partialMatch: false },
  { type: 'http', pattern: 'src/http', partialMatch: false },
  { type: 'sandbox', pattern: 'src/sandbox', partialMatch: false },
  { type: 'services', pattern: 'src/services', partialMatch: false },
  // The port, the registry and the shared upstream kit; each provider's own folder is an adapter.
  { type: 'providers', pattern: 'src/providers/http', partialMatch: false },
  { type: 'providers', pattern: 'src/providers/kit', partialMatch: false },
  { type: 'adapter', pattern: 'src/providers/*', partialMatch: false, capture: ['providerId'] },
  { type: 'providers', pattern: 'src/providers', partialMatch: false },
  { type: 'db', pattern: 'src/db', partialMatch: false },
  { type: 'infra', pattern: 'src/infra', partialMatch: false },
  { type: 'config', pattern: 'src/config', partialMatch: false },
  { type: 'domain', pattern: 'src/domain', partialMatch: false },
];

/**
 * Process entry points, classified as files (element patterns match folders): src/main.ts and its
 * preamble boot the gateway; src/sandbox/main.ts boots the simulator, a separate program.
 */
const files = [
  { category: 'main', pattern: 'src/*.ts' },
  { category: 'sandbox-main', pattern: 'src/sandbox/main.ts' },
];

const to = (...types) => ({ to: { element: { types: { anyOf: types } } } });

/** Value imports each layer may make (a layer may skip levels downward). */
const layering = [
  {
    from: 'app',
    allow: to('graphql', 'http', 'sandbox', 'services', 'providers', 'adapter', 'db', 'infra', 'config', 'domain'),
  },
  // A script's composition root: opens the database and calls services, as app does.
  {
    from: 'cli',
    allow: to('graphql', 'http', 'sandbox', 'services', 'providers', 'adapter', 'db', 'infra', 'config', 'domain'),
  },
  // http never reaches resolvers (STYLE.md); it may share graphql's operation rules.
  { from: 'http', allow: to('services', 'providers', 'db', 'infra', 'domain', 'graphql') },
  { from: 'graphql', allow: to('services', 'providers', 'db', 'infra', 'domain') },
  // An independent model of the upstreams: never the adapters it simulates.
  { from: 'sandbox', allow: to('domain') },
  { from: 'services', allow: to('providers', 'db', 'infra', 'domain') },
  // The registry builds the adapters; the adapters use the port and the shared upstream kit.
  { from: 'providers', allow: to('providers', 'adapter', 'domain') },
  { from: 'adapter', allow: to('providers', 'domain') },
  { from: 'db', allow: to('domain') },
  { from: 'infra', allow: to('domain') },
  { from: 'config', allow: to('domain') },
].map(({ from, allow }) => ({ from: { element: { type: from } }, allow }));

/** Checked in order; a later match overrides an earlier one (test/unit/lint-boundaries.test.ts probes them). */
const boundaryPolicies = [
  {
    from: { file: { categories: 'main' } },
    allow: [to('app', 'config', 'infra', 'domain'), { to: { file: { categories: 'main' } } }],
  },
  ...layering,
  { from: { file: { categories: 'sandbox-main' } }, allow: to('config', 'infra', 'domain') },
  // A script loads `.env` as the gateway does (src/env-file.ts).
  { from: { element: { type: 'cli' } }, allow: { to: { file: { categories: 'main' } } } },
  // Config's types (its slices) travel everywhere; only main and app call its parser.
  { allow: { ...to('config'), dependency: { kind: 'type' } } },
  {
    from: { element: { type: 'http' } },
    disallow: { to: { element: { type: 'graphql', fileInternalPath: 'resolvers/**' } } },
    message: 'http never imports GraphQL resolvers (STYLE.md): go through a service',
  },
];

/** Globals of CommonJS files run by Node (no `globals` package here). */
const nodeCommonJsGlobals = Object.fromEntries(
  [
    'require',
    'module',
    'exports',
    '__dirname',
    '__filename',
    'process',
    'console',
    'Buffer',
    'setTimeout',
    'clearTimeout',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', 'data/', '.data/', 'bench/results/']),
  js.configs.recommended,
  {
    files: ['**/*.cjs', '**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: nodeCommonJsGlobals },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      // tsc checks these (noUnusedLocals/noUnusedParameters); an `_`-prefixed name is a deliberate skip.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // GraphiQL's 9 MB bundle is required lazily, only when its files are rendered (src/http/graphiql-page.ts).
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^@graphql-yoga/render-graphiql/graphiql$'] }],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': elements,
      'boundaries/files': files,
      // Re-exports and lazy imports cross layers too.
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
      'boundaries/root-path': import.meta.dirname,
      'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        { default: 'disallow', checkUnknownLocals: true, policies: boundaryPolicies },
      ],
      // A new top-level folder must be placed in the layering above before it can be imported.
      'boundaries/no-unknown-files': 'error',
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Fixtures, mocks and raw upstream payloads are untyped by nature.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
