import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { cheapestPlan, createReseller, credit, placeOrder, waitForOrder, type Reseller } from '../helpers/ordering';
import { ADMIN_KEY, PROVIDERS, startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Inputs are validated at the edge (issue "inputs validated at the edge"; test plan F44). Every
 * mutation of the schema, found from the SDL so a new one is fuzzed without touching this file,
 * gets many malformed variable sets; each must be refused with a contract code (never
 * INTERNAL_SERVER_ERROR, never a 5xx), and the whole run must leave no trace: no ledger row, no
 * order, no upstream call. Then random and mutated documents are posted raw.
 *
 * Every generated variable set carries exactly one "poison": a value that is invalid by the
 * GraphQL type (wrong JSON type, null for non-null, a missing or unknown field) or by the domain
 * (a malformed ICCID, a quantity out of range, an over-long key...). The other values are
 * plausible, often the real ids of the fixture, so validation is reached past the first field.
 * A poison that is well-formed but unknown (a random UUID, an ICCID nobody holds) must be
 * NOT_FOUND before any upstream call; well-formed plan ids are never poisons, since re-pricing an
 * unknown plan legitimately asks the provider.
 */

/** Fixed, so a run is reproducible; FUZZ_SEED and FUZZ_RUNS explore further (e.g. FUZZ_RUNS=1000 FUZZ_SEED=$RANDOM). */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_523);
const RUNS_PER_MUTATION = Number(process.env.FUZZ_RUNS ?? 50);
const RUNS_PER_DOCUMENT_KIND = Math.max(60, RUNS_PER_MUTATION);
/** Contract error codes (shared/contract/README.md); INTERNAL_SERVER_ERROR is never acceptable here. */
const CODED = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'INSUFFICIENT_FUNDS',
  'IDEMPOTENCY_KEY_REUSED',
  'PLAN_UNAVAILABLE',
  'TOP_UP_NOT_SUPPORTED',
  'NOT_SUPPORTED',
  'PROVIDER_UNAVAILABLE',
  'PROVIDER_ERROR',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
]);

const sdl = buildSchema(fs.readFileSync(path.join(__dirname, '../../schema.graphql'), 'utf8'));
const MUTATIONS = Object.values(sdl.getMutationType()!.getFields());

interface Fixture {
  owner: Reseller;
  outsider: Reseller;
  adminId: string;
  orderId: string;
  iccid: string;
  planId: string;
  topUpPlanId: string;
}

let t: TestApp;
let fx: Fixture;
let served: GraphQLSchema;

// An unhandled rejection or uncaught exception anywhere in the process fails the running test:
// jest-circus owns those process handlers (the test's own `process` is a copy that never hears them).
beforeAll(async () => {
  // Hundreds of requests a second on three keys: the per-key limit (its own test) would answer RATE_LIMITED instead of validating.
  t = await startTestApp({ RATE_LIMIT_PER_SECOND: '0' });
  const owner = await createReseller(t);
  const outsider = await createReseller(t);
  await credit(t, owner.accountId, '200.00');
  // eSIM platform has every profile capability (SMS, suspend, top-up), so each mutation gets past its capability check.
  const plan = await cheapestPlan(t, owner.key, 'esimplatform', { topUpSupported: true });
  const placed = await placeOrder(t, owner.key, { planId: plan.id, reference: 'fuzz-fixture' });
  const order = await waitForOrder(t, owner.key, placed.body.data.placeOrder.id, ['COMPLETED']);
  const iccid: string = order.profiles[0].iccid;
  const options = await t.gql('query($i: String!) { topUpOptions(iccid: $i) { id } }', { i: iccid }, owner.key);
  const viewer = await t.gql('{ viewer { id } }');
  served = buildClientSchema((await t.gql(getIntrospectionQuery())).body.data);
  fx = {
    owner,
    outsider,
    adminId: viewer.body.data.viewer.id,
    orderId: order.id,
    iccid,
    planId: plan.id,
    topUpPlanId: options.body.data.topUpOptions[0]?.id ?? plan.id,
  };
  await settled();
}, 60_000);

afterAll(async () => {
  await t?.close();
});

// ---------------------------------------------------------------------------------------------
// State: what a refused mutation must leave exactly as it was.

async function snapshot() {
  const accounts = await Promise.all(
    [ADMIN_KEY, fx.owner.key, fx.outsider.key].map(async (key) => {
      const { body } = await t.gql('{ wallet { balance { amount } transactions(first: 1) { totalCount } } }', {}, key);
      return { balance: body.data.wallet.balance.amount, transactions: body.data.wallet.transactions.totalCount };
    }),
  );
  const { body } = await t.gql('{ orders(first: 1) { totalCount } profiles(first: 1) { totalCount } }');
  const upstream = await Promise.all(
    PROVIDERS.map(async (id) => {
      const stats = await t.control(id, 'stats');
      return { id, total: stats.total, holdings: stats.holdings };
    }),
  );
  return { accounts, orders: body.data.orders.totalCount, profiles: body.data.profiles.totalCount, upstream };
}

/** Waits until the order's trailing work (webhooks, reads) is over: two equal snapshots in a row. */
async function settled(): Promise<Awaited<ReturnType<typeof snapshot>>> {
  let last = await snapshot();
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 150));
    const next = await snapshot();
    if (JSON.stringify(next) === JSON.stringify(last)) return next;
    last = next;
  }
  throw new Error('state never settled');
}

// ---------------------------------------------------------------------------------------------
// Values: plausible ones, and poisons.

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE wallet; --",
  '" OR ""="',
  '1; SELECT SLEEP(5)',
  '{"$gt": ""}',
  '__proto__',
  'constructor',
  '${7*7}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '\\',
  '"}]}',
  'null',
  'NaN',
];
const WEIRD = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u202e',
  '\ud800',
  '\udfff',
  '\ufeff',
  '\uffff',
  '𝕏',
  '👩‍👩‍👧‍👦',
  'Ω≈ç√',
  '\r\n',
  '\t',
];
const HUGE = 'x'.repeat(10_000);
const printable = (min: number, max: number) =>
  fc.string({
    minLength: min,
    maxLength: max,
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~ '),
  });
/** A control character somewhere inside an otherwise fine string. */
const withControl = fc
  .tuple(
    printable(0, 10),
    fc.constantFrom('\u0000', '\u0001', '\u0007', '\n', '\r', '\t', '\u001b', '\u007f', '\u0085', '\u009f'),
    printable(0, 10),
  )
  .map(([a, c, b]) => `x${a}${c}${b}x`);
const freeText = fc.oneof(
  printable(1, 20),
  fc.constantFrom(...INJECTIONS),
  fc.string({ maxLength: 20, unit: 'grapheme' }),
  fc.constantFrom(...WEIRD),
);
const longer = (max: number) =>
  fc.oneof(
    fc.integer({ min: max + 1, max: max + 300 }).map((n) => 'y'.repeat(n)),
    fc.constant(HUGE),
  );
const wellFormedIccid = fc.stringMatching(/^89\d{18}$/);

interface Semantics {
  /** Values a real caller might send; need not be valid. */
  readonly plausible: () => fc.Arbitrary<unknown>;
  /** Values the domain must refuse (BAD_USER_INPUT) or not find (NOT_FOUND), before any upstream call. */
  readonly invalid?: () => fc.Arbitrary<unknown>;
}

/** What the gateway knows about each input field, by `Type.field` or by field name. */
const SEMANTICS: Record<string, Semantics> = {
  iccid: {
    plausible: () => fc.oneof(fc.constant(fx.iccid), wellFormedIccid),
    invalid: () =>
      fc.oneof(
        fc.constantFrom(
          '',
          '   ',
          '8901260',
          '89'.padEnd(17, '0'),
          '8'.repeat(23),
          '89O1260000000000000',
          '8901 2600 0000 0000 000',
          '+89012600000000000000',
          '-8901260000000000000',
          '8901260000000000000.0',
          '８９０１２６０００００００００００００００',
          `${fx.iccid}x`,
          `${fx.iccid}0000`,
          fx.iccid.slice(0, 17),
          '8'.repeat(10_000),
        ),
        fc.string({ maxLength: 30 }).filter((s) => !/^\s*\d{18,22}\s*$/.test(s)),
        fc.constantFrom(...INJECTIONS, ...WEIRD),
        // Well-formed (Luhn or not) but nobody's: NOT_FOUND from the database, no upstream call.
        wellFormedIccid.filter((s) => s !== fx.iccid),
      ),
  },
  planId: {
    plausible: () => fc.constantFrom(fx.planId, fx.topUpPlanId),
    // Never "<provider>:<code>" with a printable code of 1-150: that one is re-priced upstream.
    invalid: () =>
      fc.oneof(
        fc.constantFrom(
          '',
          ':',
          'esimplatform',
          'esimplatform:',
          ':PLAN',
          'unknown:PLAN',
          'ESIMPLATFORM:PLAN',
          ' esimplatform:PLAN',
          `esimplatform:${'c'.repeat(151)}`,
          `esimaccess:${HUGE}`,
          'esimplatform:\u0000',
          'esimplatform:a\nb',
          'esimaccess:\u001b[31m',
        ),
        fc.string({ maxLength: 30 }).filter((s) => !/^[a-z]+:/.test(s)),
        fc.constantFrom(...INJECTIONS),
      ),
  },
  quantity: {
    plausible: () => fc.integer({ min: 1, max: 3 }),
    invalid: () =>
      fc.oneof(
        fc.constantFrom(0, -1, 51, 101, 2 ** 31 - 1, -(2 ** 31)),
        fc.integer({ min: 51, max: 2 ** 31 - 1 }),
        fc.integer({ min: -(2 ** 31), max: 0 }),
      ),
  },
  reference: {
    plausible: () => freeText,
    invalid: () => fc.oneof(longer(100), withControl),
  },
  'CustomerInput.email': {
    plausible: () => fc.constantFrom('ana@example.com', 'x@y.io'),
    invalid: () =>
      fc.oneof(
        fc.constantFrom(
          'not-an-email',
          'a@b',
          '@example.com',
          'a b@example.com',
          'a@b.c',
          'x@@y.com',
          'ana@',
          `${'a'.repeat(250)}@example.com`,
          HUGE,
        ),
        withControl.map((s) => `${s}@example.com`),
      ),
  },
  'CustomerInput.name': {
    plausible: () => freeText,
    invalid: () => fc.oneof(longer(200), withControl),
  },
  'CreateAccountInput.name': {
    plausible: () => freeText,
    invalid: () => fc.oneof(fc.constantFrom('', ' ', '\t\n'), longer(200), withControl),
  },
  idempotencyKey: {
    plausible: () => fc.oneof(fc.uuid(), printable(1, 40), fc.constantFrom(...INJECTIONS)),
    invalid: () => fc.oneof(fc.constantFrom('', '   '), longer(200), withControl),
  },
  message: {
    plausible: () => freeText,
    invalid: () => fc.oneof(fc.constantFrom('', '   ', '\n\t'), longer(500)),
  },
  markupPercent: {
    plausible: () => fc.constantFrom('0', '10', '12.5'),
    invalid: () => fc.constantFrom('-1', '-0.01', '1000.0001', '1000.01', '1001', '1.00001', '99999999'),
  },
  amount: {
    plausible: () => fc.constantFrom('1', '10.00', '0.01'),
    invalid: () =>
      fc.constantFrom(
        '0',
        '0.00',
        '-0',
        '1.001',
        '0.001',
        '1000000000.01',
        '-1000000000.01',
        '999999999999999999',
        '1.123456789012',
      ),
  },
  description: {
    plausible: () => freeText,
    invalid: () => fc.oneof(longer(500), withControl),
  },
  accountId: {
    plausible: () => fc.constantFrom(fx.owner.accountId, fx.outsider.accountId, fx.adminId),
    invalid: () =>
      fc.oneof(fc.constantFrom('', ' ', fx.orderId, HUGE, ...INJECTIONS, ...WEIRD), fc.uuid(), fc.integer({ min: 0 })),
  },
  'Mutation.cancelOrder.id': {
    plausible: () => fc.constant(fx.orderId),
    invalid: () =>
      fc.oneof(
        fc.constantFrom('', ' ', fx.owner.accountId, HUGE, ...INJECTIONS, ...WEIRD),
        fc.uuid(),
        fc.integer({ min: 0 }),
      ),
  },
};

function semanticsOf(owner: string, field: string): Semantics | undefined {
  return SEMANTICS[`${owner}.${field}`] ?? SEMANTICS[field];
}

/** A plausible value for any input type; known fields use their semantics. */
function plausible(owner: string, field: string, type: GraphQLInputType): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return plausible(owner, field, type.ofType);
  const known = semanticsOf(owner, field);
  if (known) return known.plausible();
  if (isListType(type)) return fc.array(plausible(owner, field, type.ofType), { maxLength: 3 });
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    return fc.record(Object.fromEntries(fields.map((f) => [f.name, plausible(type.name, f.name, f.type)])), {
      requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name),
    });
  }
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
  switch (type.name) {
    case 'Int':
      return fc.integer({ min: 1, max: 10 });
    case 'Float':
      return fc.double({ min: 0, max: 100, noNaN: true });
    case 'Boolean':
      return fc.boolean();
    case 'Decimal':
      return fc.constantFrom('1', '12.50');
    case 'DateTime':
      return fc.constant('2026-01-01T00:00:00.000Z');
    default:
      return freeText;
  }
}

/** Values the GraphQL type itself refuses, whatever the field means; null when none is certain. */
function wrongType(type: GraphQLInputType): fc.Arbitrary<unknown> | null {
  if (isNonNullType(type)) return fc.oneof(fc.constant(null), ...[wrongType(type.ofType)].filter((a) => a !== null));
  // A single value is coerced into a one-item list, so the item type decides.
  if (isListType(type)) {
    const item = wrongType(type.ofType);
    return (
      item &&
      fc.oneof(
        item,
        item.map((v) => [v]),
      )
    );
  }
  if (isInputObjectType(type)) return fc.constantFrom('x', 42, true, [], [{}]);
  if (isEnumType(type)) return fc.constantFrom('usd', 'US', 'XXXX', 'reseller', 'ADMIN ', '', '__proto__', 0, true, {});
  const objects = fc.constantFrom({}, { amount: '1' }, [], ['1'], [1, 2]);
  switch (type.name) {
    case 'String':
      return fc.oneof(fc.integer(), fc.constantFrom(12.5, 0, -1, true, false), objects);
    case 'ID':
      return fc.oneof(fc.constantFrom(12.5, 1e300, -0.5, true), objects);
    case 'Int':
      return fc.oneof(
        fc.constantFrom(12.5, 0.1, 2 ** 31, -(2 ** 31) - 1, 1e300, 2 ** 53, '1', '', 'one', true),
        objects,
      );
    case 'Float':
      return fc.oneof(fc.constantFrom('1.5', '', true), objects);
    case 'Boolean':
      return fc.oneof(fc.constantFrom('true', 1, 0, 'yes'), objects);
    // Money is a decimal string: a JSON number (even a whole one) or any other text is refused.
    case 'Decimal':
      return fc.oneof(
        fc.constantFrom(
          12.5,
          12,
          0,
          1e21,
          '12,50',
          '1e5',
          '',
          ' ',
          'NaN',
          'Infinity',
          '-',
          '.5',
          '5.',
          '0x1F',
          '1_000',
          '１２',
          '12 USD',
          '$12',
          '9'.repeat(19),
          `1.${'0'.repeat(13)}`,
          HUGE,
          true,
        ),
        objects,
      );
    case 'DateTime':
      return fc.oneof(
        fc.constantFrom('yesterday', '2026-13-01T00:00:00Z', '2026-01-01', 1_700_000_000_000, true),
        objects,
      );
    case 'SafeInt':
      return fc.oneof(fc.constantFrom(2 ** 53, 1.5, '1', true), objects);
    default:
      return null;
  }
}

type Path = readonly string[];
interface Slot {
  readonly path: Path;
  readonly owner: string;
  readonly field: string;
  readonly type: GraphQLInputType;
}
type Poison =
  | { readonly kind: 'set'; readonly value: unknown }
  | { readonly kind: 'drop' }
  | { readonly kind: 'extra'; readonly key: string };

/** Every argument and every input field reachable from them (one level of each input type). */
function slotsOf(mutation: GraphQLField<unknown, unknown>): Slot[] {
  const slots: Slot[] = [];
  const visit = (path: Path, owner: string, field: string, type: GraphQLInputType, seen: ReadonlySet<string>) => {
    slots.push({ path, owner, field, type });
    const named = getNamedType(type);
    if (isInputObjectType(named) && !isListType(isNonNullType(type) ? type.ofType : type) && !seen.has(named.name)) {
      for (const f of Object.values(named.getFields()))
        visit([...path, f.name], named.name, f.name, f.type, new Set([...seen, named.name]));
    }
  };
  for (const arg of mutation.args) visit([arg.name], `Mutation.${mutation.name}`, arg.name, arg.type, new Set());
  return slots;
}

function poisonsOf(slot: Slot): fc.Arbitrary<Poison> | null {
  const options: fc.Arbitrary<Poison>[] = [];
  const invalid = semanticsOf(slot.owner, slot.field)?.invalid;
  // Domain poisons twice as likely: they reach the resolvers, where the interesting bugs live.
  if (invalid)
    options.push(
      invalid().map((value) => ({ kind: 'set' as const, value })),
      invalid().map((value) => ({ kind: 'set' as const, value })),
    );
  const wrong = wrongType(slot.type);
  if (wrong) options.push(wrong.map((value) => ({ kind: 'set' as const, value })));
  if (isNonNullType(slot.type)) options.push(fc.constant({ kind: 'drop' as const }));
  if (
    isInputObjectType(getNamedType(slot.type)) &&
    !isListType(isNonNullType(slot.type) ? slot.type.ofType : slot.type)
  ) {
    const fields = Object.keys((getNamedType(slot.type) as { getFields(): object }).getFields());
    options.push(
      fc
        .oneof(
          fc.constantFrom('unknownField', 'currency', 'country', 'accountId', '__proto__', 'Quantity'),
          printable(1, 12),
        )
        .filter((k) => !fields.includes(k))
        .map((key) => ({ kind: 'extra' as const, key })),
    );
  }
  return options.length ? fc.oneof(...options) : null;
}

function applyPoison(variables: Record<string, unknown>, path: Path, poison: Poison): Record<string, unknown> {
  const root = structuredClone(variables);
  let parent: Record<string, unknown> = root;
  for (const key of path.slice(0, -1)) {
    const next = parent[key];
    parent = parent[key] =
      next && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
  }
  const last = path[path.length - 1];
  if (poison.kind === 'set') parent[last] = poison.value;
  else if (poison.kind === 'drop') delete parent[last];
  // Own data property even for "__proto__", as JSON.parse on the server would make it.
  else
    Object.defineProperty(
      parent[last] && typeof parent[last] === 'object' ? parent[last] : (parent[last] = {}),
      poison.key,
      { value: 'surprise', enumerable: true, writable: true, configurable: true },
    );
  return root;
}

/** `mutation M($a: T!, …) { m(a: $a, …) { __typename } }`, built from the field's own arguments. */
function documentOf(field: GraphQLField<unknown, unknown>): string {
  const defs = field.args.map((a: GraphQLArgument) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `mutation M${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}

// ---------------------------------------------------------------------------------------------
// Answers.

interface Answer {
  status: number;
  body: any;
}

/** Why an answer is not a clean coded refusal, or null when it is. */
function defectOf({ status, body }: Answer, field?: string): string | null {
  if (status >= 500) return `HTTP ${status}`;
  if (!body || typeof body !== 'object') return 'no JSON body';
  if (!Array.isArray(body.errors) || body.errors.length === 0) return field ? 'accepted' : null;
  const uncoded = body.errors.filter((e: any) => !CODED.has(e?.extensions?.code));
  if (uncoded.length) return `uncoded errors ${JSON.stringify(uncoded).slice(0, 400)}`;
  if (field && body.data?.[field] != null) return 'data alongside errors';
  return null;
}

/** Short, and with every invisible character escaped, so a counterexample can be read. */
const show = (value: unknown) => {
  const text = JSON.stringify(value, (_k, v) =>
    typeof v === 'string' && v.length > 60 ? `${v.slice(0, 60)}...(${v.length})` : v,
  )?.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return text && text.length > 600 ? `${text.slice(0, 600)}...` : text;
};

async function upstreamCalls(): Promise<number> {
  const totals = await Promise.all(PROVIDERS.map(async (id) => (await t.control(id, 'stats')).total as number));
  return totals.reduce((a, b) => a + b, 0);
}

/** How often the fuzz got past GraphQL's own coercion into a resolver, per mutation (printed at the end). */
const coverage: Record<string, { runs: number; resolver: number; codes: Record<string, number> }> = {};

describe('every mutation refuses malformed variables with a contract code and changes nothing', () => {
  it('fuzzes exactly the mutations the server serves', () => {
    expect(Object.keys(served.getMutationType()!.getFields()).sort()).toEqual(MUTATIONS.map((m) => m.name).sort());
  });

  it.each(MUTATIONS.map((m) => [m.name, m] as const))('%s', async (name, mutation) => {
    const before = await snapshot();
    const slots = slotsOf(mutation).flatMap((slot) => {
      const poison = poisonsOf(slot);
      return poison ? [{ slot, poison }] : [];
    });
    expect(slots.length).toBeGreaterThan(0);
    const variables = fc.record(
      Object.fromEntries(mutation.args.map((a) => [a.name, plausible(`Mutation.${name}`, a.name, a.type)])),
    ) as fc.Arbitrary<Record<string, unknown>>;
    const adminOnly = /admin only/i.test(mutation.description ?? '');
    const keys = adminOnly
      ? fc.constantFrom(ADMIN_KEY, ADMIN_KEY, ADMIN_KEY, fx.owner.key)
      : fc.constantFrom(ADMIN_KEY, fx.owner.key, fx.owner.key, fx.outsider.key);
    const cases = fc.record({
      variables,
      key: keys,
      poisoned: fc
        .integer({ min: 0, max: slots.length - 1 })
        .chain((i) => slots[i].poison.map((poison) => ({ path: slots[i].slot.path, poison }))),
    });
    const document = documentOf(mutation);
    const stats = (coverage[name] = { runs: 0, resolver: 0, codes: {} as Record<string, number> });

    await fc.assert(
      fc.asyncProperty(cases, async ({ variables: plain, key, poisoned }) => {
        const vars = applyPoison(plain, poisoned.path, poisoned.poison);
        const calls = await upstreamCalls();
        const answer = await t.gql(document, vars, key);
        stats.runs++;
        for (const e of answer.body?.errors ?? [])
          stats.codes[e.extensions?.code] = (stats.codes[e.extensions?.code] ?? 0) + 1;
        if (answer.body?.errors?.some((e: any) => e.path)) stats.resolver++;
        const defect = defectOf(answer, name) ?? ((await upstreamCalls()) !== calls ? 'upstream called' : null);
        if (defect)
          throw new Error(
            `${defect}: ${name} ${poisoned.path.join('.')} ← ${show(poisoned.poison)} in ${show(vars)} → ${show(answer.body)}`,
          );
      }),
      { seed: SEED, numRuns: RUNS_PER_MUTATION, endOnFailure: true },
    );

    // Domain poisons exist for every field the gateway knows, so some runs must have reached a resolver.
    if (slots.some(({ slot }) => semanticsOf(slot.owner, slot.field)?.invalid))
      expect(stats.resolver).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// F44: documents themselves, random and mutated.

/** A valid operation for each root field (queries and mutations), all arguments as variables. */
function sampleDocuments(schema: GraphQLSchema): string[] {
  const select = (field: GraphQLField<unknown, unknown>) => {
    const type = getNamedType(field.type);
    if (!isObjectType(type)) return '';
    const leaves = Object.values(type.getFields())
      .filter((f) => isLeafType(getNamedType(f.type)) && f.args.length === 0)
      .slice(0, 3);
    return ` { __typename ${leaves.map((f) => f.name).join(' ')} }`;
  };
  const op = (kind: string, field: GraphQLField<unknown, unknown>) => {
    const defs = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
    const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
    return `${kind} Op${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''}${select(field)} }`;
  };
  return [
    ...Object.values(schema.getQueryType()!.getFields()).map((f) => op('query', f)),
    ...Object.values(schema.getMutationType()!.getFields()).map((f) => op('mutation', f)),
    'query Nested { orders(first: 2) { nodes { id profiles { iccid order { id } } plan { id provider { id name } } } } }',
    'query Frag { ...V } fragment V on Query { viewer { id wallet { id } } }',
  ];
}

const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  '$',
  ':',
  '!',
  '...',
  '@include(if: $x)',
  '@skip(if: true)',
  '"',
  '"""',
  '\\',
  '#',
  ',',
  '=',
  '|',
  '&',
  'query',
  'mutation',
  'subscription',
  'fragment F on Query { viewer { id } }',
  '...F',
  '__schema { types { name } }',
  '__typename',
  'viewer',
  'orders(first: 1000)',
  'plans(first: -1)',
  'input',
  '$input',
  'null',
  '\u0000',
  '\uffff',
  '\ud800',
  '0x1F',
  '1e999',
  '-',
];

type Edit =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate'; at: number; length: number };
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 })),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 30 }) }),
);

function applyEdits(document: string, edits: readonly Edit[]): string {
  return edits.reduce((doc, e) => {
    const at = doc.length ? e.at % (doc.length + 1) : 0;
    if (e.kind === 'delete') return doc.slice(0, at) + doc.slice(at + e.length);
    if (e.kind === 'insert') return doc.slice(0, at) + e.text + doc.slice(at);
    return doc.slice(0, at) + doc.slice(at, at + e.length) + doc.slice(at);
  }, document);
}

/** Random variables: never the fixture's real ids, so no mutated mutation can act on real state. */
const randomVariables = fc.option(
  fc.dictionary(
    fc.constantFrom('id', 'iccid', 'input', 'first', 'after', 'filter', 'x', 'message', 'sort'),
    fc.jsonValue({ maxDepth: 2 }),
  ),
  { nil: undefined },
);

async function postRaw(body: string, contentType = 'application/json'): Promise<Answer> {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${ADMIN_KEY}` },
    body,
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

describe('random and mutated documents never crash the gateway (F44)', () => {
  let before: Awaited<ReturnType<typeof snapshot>>;
  beforeAll(async () => {
    before = await snapshot();
  });

  it('answers mutated valid operations with coded errors only', async () => {
    const documents = sampleDocuments(served);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...documents),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        randomVariables,
        async (document, edits, variables) => {
          const mutated = applyEdits(document, edits);
          const answer = await t.gql(mutated, variables as Record<string, unknown> | undefined);
          const defect = defectOf(answer);
          if (defect) throw new Error(`${defect}: ${show(mutated)} with ${show(variables)} → ${show(answer.body)}`);
        },
      ),
      { seed: SEED, numRuns: RUNS_PER_DOCUMENT_KIND * 2, endOnFailure: true },
    );
  });

  it('answers random text as a document with coded errors only', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ maxLength: 200, unit: 'binary' }),
      fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((t) => t.join(' ')),
    );
    await fc.assert(
      fc.asyncProperty(text, randomVariables, async (document, variables) => {
        const answer = await t.gql(document, variables as Record<string, unknown> | undefined);
        const defect = defectOf(answer);
        if (defect) throw new Error(`${defect}: ${show(document)} → ${show(answer.body)}`);
      }),
      { seed: SEED, numRuns: RUNS_PER_DOCUMENT_KIND, endOnFailure: true },
    );
  });

  it('answers request bodies of the wrong shape with coded errors only', async () => {
    const field = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant('{ viewer { id } }'), fc.constant({}));
    const body = fc.oneof(
      fc.record({ query: field, variables: field, operationName: field, extensions: field }, { requiredKeys: [] }),
      fc.array(fc.record({ query: field }), { maxLength: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const answer = await postRaw(JSON.stringify(value));
        const defect = defectOf(answer);
        if (defect) throw new Error(`${defect}: ${show(value)} -> ${answer.status} ${show(answer.body)}`);
      }),
      { seed: SEED, numRuns: RUNS_PER_DOCUMENT_KIND, endOnFailure: true },
    );
  });

  it('answers a body that is not a JSON object, or too large, with a coded error, not an HTML page', async () => {
    const body = fc.oneof(
      fc.constantFrom('true', 'null', '"query"', '42', '{', '{"query": "{ viewer { id } }"', "{'query': 1}", ''),
      fc.string({ maxLength: 40 }).filter((s) => !/^\s*[[{]/.test(s)),
    );
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const answer = await postRaw(raw);
        const defect = defectOf(answer) ?? (answer.body?.errors ? null : 'no GraphQL errors');
        if (defect) throw new Error(`${defect}: ${show(raw)} -> ${answer.status} ${show(answer.body)}`);
      }),
      { seed: SEED, numRuns: 20, endOnFailure: true },
    );
    const oversized = await postRaw(
      JSON.stringify({ query: '{ viewer { id } }', variables: { x: 'x'.repeat(1_100_000) } }),
    );
    expect(oversized.status).toBeLessThan(500);
    expect(defectOf(oversized) ?? (oversized.body?.errors ? null : 'no GraphQL errors')).toBeNull();
  });

  it('is still up and changed nothing', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    const after = await snapshot();
    // Queries may read the catalogs upstream; only the database state must be untouched.
    expect({ ...after, upstream: null }).toEqual({ ...before, upstream: null });
    expect(after.upstream.map((u) => u.holdings)).toEqual(before.upstream.map((u) => u.holdings));
  });
});

afterAll(() => {
  // One line per mutation: how much of the fuzz got past coercion, and the codes it drew.
  if (process.env.FUZZ_REPORT)
    console.log(
      Object.entries(coverage)
        .map(([m, c]) => `${m}: ${c.runs} runs, ${c.resolver} in resolver, ${JSON.stringify(c.codes)}`)
        .join('\n'),
    );
});
