import path from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import { applyMarkup, convert, isDecimalString } from '../../../src/domain/money';
import { isMarkupPercent } from '../../../src/domain/account';
import type { CatalogPlan } from '../../../src/domain/plan';
import { pricePlan } from '../../../src/services/catalog/catalog-index';

const RUNS = 10_000;

/** ISO 4217 exponents, written down independently of money.ts so a wrong table there fails here. */
const ISO_MINOR: Readonly<Record<string, number>> = { USD: 2, EUR: 2, GBP: 2, JPY: 0, KRW: 0, KWD: 3, BHD: 3 };
const currency = fc.constantFrom(...Object.keys(ISO_MINOR));

// ---- The BigInt reference: a decimal is `units / 10^scale`, exactly. ----

interface Exact {
  readonly units: bigint;
  readonly scale: number;
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);

function exact(text: string): Exact {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  return { units: (negative ? -1n : 1n) * BigInt(whole + fraction), scale: fraction.length };
}

function times(a: Exact, b: Exact): Exact {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** 1 + percent/100, i.e. (100 + percent) / 100. */
function markupFactor(percent: string): Exact {
  const p = exact(percent);
  return { units: 100n * pow10(p.scale) + p.units, scale: p.scale + 2 };
}

/** numerator / denominator rounded half-up (ties away from zero) to an integer. */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  const sign = numerator < 0n !== denominator < 0n ? -1n : 1n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = n / d;
  return sign * (2n * (n % d) >= d ? quotient + 1n : quotient);
}

/** The count of 10^-digits units nearest to `value`, ties away from zero. */
function roundedUnits(value: Exact, digits: number): bigint {
  return value.scale <= digits
    ? value.units * pow10(digits - value.scale)
    : divideHalfUp(value.units, pow10(value.scale - digits));
}

function format(units: bigint, digits: number): string {
  const negative = units < 0n;
  const text = (negative ? -units : units).toString().padStart(digits + 1, '0');
  const body = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return negative ? `-${body}` : body;
}

const reference = (value: Exact, currencyCode: string): string =>
  format(roundedUnits(value, ISO_MINOR[currencyCode]), ISO_MINOR[currencyCode]);

// ---- Generators over the domains the gateway accepts. ----

/** A non-negative decimal string with up to `intDigits` integer and `fracDigits` fraction digits. */
function decimal(intDigits: number, fracDigits: number): fc.Arbitrary<string> {
  return fc
    .record({
      whole: fc.bigInt({ min: 0n, max: pow10(intDigits) - 1n }),
      digits: fc.integer({ min: 0, max: fracDigits }),
      fraction: fc.bigInt({ min: 0n, max: pow10(fracDigits) - 1n }),
    })
    .map(({ whole, digits, fraction }) =>
      digits === 0 ? `${whole}` : `${whole}.${(fraction % pow10(digits)).toString().padStart(digits, '0')}`,
    );
}

/** Exactly half a minor unit past a round value (2.675, 0.005, 1234.5): where half-up and other rules differ. */
const halfway = (maxWhole: bigint) =>
  fc
    .record({
      whole: fc.bigInt({ min: 0n, max: maxWhole }),
      minor: fc.bigInt({ min: 0n, max: 999n }),
      digits: fc.constantFrom(0, 2, 3),
    })
    .map(({ whole, minor, digits }) =>
      digits === 0 ? `${whole}.5` : `${whole}.${(minor % pow10(digits)).toString().padStart(digits, '0')}5`,
    );

/** Every wholesale amount `isDecimalString` lets in (18 + 12 digits), with ties mixed in. */
const wholesale = fc.oneof({ arbitrary: decimal(18, 12), weight: 3 }, { arbitrary: halfway(pow10(17)), weight: 1 });

/** The markups an account may have: 0 to 1000 % with up to 4 decimals (domain/account.ts). */
const markup = fc.oneof(
  fc.constantFrom('0', '10', '12.5', '20', '50', '100', '1000'),
  decimal(4, 4).filter((m) => isMarkupPercent(m)),
);

/** Units of the target currency per unit of the source, as a rate feed quotes them (VND ≈ 25 000, KWD ≈ 0.3). */
const fxRate = decimal(6, 8).filter((r) => exact(r).units > 0n);

describe('money maths against a BigInt reference (10 000 cases each)', () => {
  it('only generates amounts and markups the gateway accepts', () => {
    fc.assert(
      fc.property(wholesale, markup, (w, m) => isDecimalString(w) && isMarkupPercent(m)),
      { numRuns: 1000 },
    );
  });

  it('prices wholesale × (1 + markup/100) rounded half-up to the currency minor unit (USD 2, JPY 0, KWD 3)', () => {
    fc.assert(
      fc.property(wholesale, markup, currency, (w, m, c) => {
        expect(applyMarkup({ amount: w, currency: c }, m)).toEqual({
          amount: reference(times(exact(w), markupFactor(m)), c),
          currency: c,
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('converts at an exact rate and rounds once, after markup, to the target currency', () => {
    // No production path converts yet (catalog.service.ts leaves non-USD plans out); this pins the
    // contract's "converted to the wallet currency × (1 + markup), rounded half-up" for when one does.
    // Amounts of 18 and rates of 14 significant digits: with the markup's 8 that is 40 digits, all
    // that money.ts's decimal precision (40) keeps exact before the one rounding.
    fc.assert(
      fc.property(
        fc.oneof(decimal(12, 6), halfway(pow10(12))),
        currency,
        currency,
        fxRate,
        markup,
        (w, from, to, rate, m) => {
          const converted = convert({ amount: w, currency: from }, to, rate);
          expect(converted).toEqual({ amount: expect.any(String), currency: to });
          expect(applyMarkup(converted, m).amount).toBe(
            reference(times(times(exact(w), exact(rate)), markupFactor(m)), to),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('gives a catalog plan the reference price, its exact sort units and its per-GB price', () => {
    // priceUnits and pricePerGbUnits are JS numbers of 1/10 000 USD, exact only below 2^53: plans up
    // to 10^6 USD and from 1 MiB of data keep them there (10^6 × 11 × 1024 × 10^4 < 2^53).
    fc.assert(
      fc.property(
        fc.oneof(decimal(6, 6), halfway(pow10(6))),
        markup,
        fc.option(fc.integer({ min: 2 ** 20, max: 2 ** 40 }), { nil: null }),
        (w, m, dataBytes) => {
          const priced = pricePlan(plan(w, dataBytes), m);
          const cents = roundedUnits(times(exact(w), markupFactor(m)), 2);
          expect(priced.price).toEqual({ amount: format(cents, 2), currency: 'USD' });
          expect(BigInt(priced.priceUnits)).toBe(cents * 100n);
          if (dataBytes === null) {
            expect(priced.pricePerGb).toBeNull();
          } else {
            // price / (bytes / 1024^3), half-up to cents
            const perGbCents = divideHalfUp(cents * 2n ** 30n, BigInt(dataBytes));
            expect(priced.pricePerGb).toEqual({ amount: format(perGbCents, 2), currency: 'USD' });
            expect(BigInt(priced.pricePerGbUnits!)).toBe(perGbCents * 100n);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

function plan(wholesaleUsd: string, dataBytes: number | null): CatalogPlan {
  return {
    id: 'esimaccess:P1',
    providerId: 'esimaccess',
    code: 'P1',
    name: 'Plan',
    coverage: 'COUNTRY',
    countries: ['FR'],
    regionName: null,
    dataBytes,
    validityDays: 7,
    wholesalePrice: { amount: wholesaleUsd, currency: 'USD' },
    topUpSupported: false,
    profileType: 'STANDARD',
    voiceMinutes: null,
    smsCount: null,
    dayPass: false,
    networks: null,
  };
}

// ---- No binary float in the money path, decided by the type checker. ----

/**
 * The files that turn amounts into prices. Every amount in them must stay a decimal string or a
 * decimal.js value; a JS `number` may hold counts (digits, bytes, quantity, scale) but never money.
 */
const MONEY_FILES = ['src/domain/money.ts', 'src/services/catalog/catalog-index.ts'];

/**
 * Where `number` legitimately crosses the exported surface, and why. Anything else that takes or
 * returns a number fails the test until it is reviewed and listed here.
 */
const NUMBER_ALLOWED = new Set([
  'minorUnits() returns', // a digit count
  'compareDecimal() returns', // -1 | 0 | 1
  'multiplyDecimal(b)', // a quantity
  'perGigabyte(bytes)', // bytes
  'fromScaledInteger(value)', // an upstream integer of 1/scale units (eSIM Access), read at the edge
  'fromScaledInteger(scale)',
  'toScaledInteger(scale)',
  'toScaledInteger() returns', // exact integer units for BIGINT storage and sorting; throws unless integral
  'decimalFromUpstream(value)', // an upstream JSON number, converted via its shortest repr at the edge
  'PricedPlan.priceUnits', // integer 1/10 000 units from toScaledInteger
  'PricedPlan.pricePerGbUnits',
]);

/** The only place a decimal becomes a JS number: after the integrality check in toScaledInteger. */
const TO_NUMBER_ALLOWED = new Set(['toScaledInteger']);

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Type-checks the money files (optionally with some file texts replaced) and lists every way a
 * binary float could carry an amount:
 * - an exported function, parameter, return or interface field typed `number` not in NUMBER_ALLOWED;
 * - `parseFloat`, `parseInt`, `Number(…)`, unary `+`, `Math.round/floor/ceil/trunc/fround`;
 * - `.toFixed`/`.toPrecision` on a receiver the checker types as `number` (Decimal's are fine),
 *   and a Decimal's `.toNumber()` outside TO_NUMBER_ALLOWED;
 * - arithmetic (`+ - * / % **`) with a non-literal `number` operand.
 */
function floatFindings(overrides: Readonly<Record<string, string>> = {}): string[] {
  const files = [...MONEY_FILES, ...Object.keys(overrides).filter((f) => !MONEY_FILES.includes(f))].map((f) =>
    path.join(ROOT, f),
  );
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const override = (fileName: string) => overrides[path.relative(ROOT, fileName)];
  host.readFile = (fileName) => override(fileName) ?? readFile(fileName);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError) => {
    const text = override(fileName);
    return text === undefined
      ? getSourceFile(fileName, language, onError)
      : ts.createSourceFile(fileName, text, language);
  };
  const program = ts.createProgram(files, options, host);
  const checker = program.getTypeChecker();
  const findings: string[] = [];

  const isNumber = (type: ts.Type): boolean =>
    type.isUnion() ? type.types.some(isNumber) : (type.flags & ts.TypeFlags.NumberLike) !== 0;
  const isNumericLiteral = (node: ts.Node): boolean =>
    ts.isNumericLiteral(node) ||
    (ts.isParenthesizedExpression(node) && isNumericLiteral(node.expression)) ||
    (ts.isBinaryExpression(node) && isNumericLiteral(node.left) && isNumericLiteral(node.right));
  const arithmetic = new Set([
    ts.SyntaxKind.PlusToken,
    ts.SyntaxKind.MinusToken,
    ts.SyntaxKind.AsteriskToken,
    ts.SyntaxKind.SlashToken,
    ts.SyntaxKind.PercentToken,
    ts.SyntaxKind.AsteriskAsteriskToken,
    ts.SyntaxKind.PlusEqualsToken,
    ts.SyntaxKind.MinusEqualsToken,
    ts.SyntaxKind.AsteriskEqualsToken,
    ts.SyntaxKind.SlashEqualsToken,
  ]);

  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`cannot read ${file}`);
    const where = (node: ts.Node) =>
      `${path.relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const enclosingFunction = (node: ts.Node): string | undefined => {
      for (let n: ts.Node | undefined = node; n; n = n.parent)
        if (ts.isFunctionDeclaration(n) && n.name) return n.name.text;
      return undefined;
    };

    for (const statement of source.statements) {
      const exported =
        ts.canHaveModifiers(statement) &&
        ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (!exported) continue;
      if (ts.isFunctionDeclaration(statement) && statement.name) {
        const signature = checker.getSignatureFromDeclaration(statement)!;
        const name = statement.name.text;
        for (const parameter of statement.parameters) {
          const label = `${name}(${parameter.name.getText(source)})`;
          if (isNumber(checker.getTypeAtLocation(parameter.name)) && !NUMBER_ALLOWED.has(label))
            findings.push(`${where(parameter)} ${label} takes a number`);
        }
        const label = `${name}() returns`;
        if (isNumber(checker.getReturnTypeOfSignature(signature)) && !NUMBER_ALLOWED.has(label))
          findings.push(`${where(statement)} ${label} a number`);
      }
      if (ts.isInterfaceDeclaration(statement)) {
        for (const member of statement.members) {
          const label = `${statement.name.text}.${member.name?.getText(source)}`;
          if (
            ts.isPropertySignature(member) &&
            isNumber(checker.getTypeAtLocation(member.name)) &&
            !NUMBER_ALLOWED.has(label)
          )
            findings.push(`${where(member)} ${label} is a number`);
        }
      }
    }

    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const text = callee.getText(source);
        if (
          ['parseFloat', 'parseInt', 'Number', 'Number.parseFloat', 'Number.parseInt'].includes(text) ||
          /^Math\.(round|floor|ceil|trunc|fround)$/.test(text)
        )
          findings.push(`${where(node)} calls ${text}`);
        if (ts.isPropertyAccessExpression(callee)) {
          const method = callee.name.text;
          const receiver = checker.getTypeAtLocation(callee.expression);
          if ((method === 'toFixed' || method === 'toPrecision') && isNumber(receiver))
            findings.push(`${where(node)} formats a number with ${method}`);
          if (method === 'toNumber' && !TO_NUMBER_ALLOWED.has(enclosingFunction(node) ?? ''))
            findings.push(`${where(node)} turns a decimal into a number`);
        }
      }
      if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.PlusToken)
        findings.push(`${where(node)} unary + coerces to a number`);
      if (ts.isBinaryExpression(node) && arithmetic.has(node.operatorToken.kind) && !isNumericLiteral(node)) {
        const numeric = [node.left, node.right].some((side) => isNumber(checker.getTypeAtLocation(side)));
        if (numeric) findings.push(`${where(node)} number arithmetic: ${node.getText(source)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return findings;
}

describe('no binary float in money paths (TypeScript compiler API)', () => {
  it('finds no number-typed amount, float parse, float rounding or float arithmetic in money.ts and the pricing code', () => {
    expect(floatFindings()).toEqual([]);
  });

  it('does flag a float-based markup, so the check above can fail', () => {
    // A negative control: the classic bug, written the way it tends to creep in.
    const bad = `import { roundToMinor, type Money } from '../domain/money';
export function floatMarkup(wholesale: Money, markupPercent: string): Money {
  const price = parseFloat(wholesale.amount) * (1 + Number(markupPercent) / 100);
  return { amount: roundToMinor(price.toFixed(2), wholesale.currency), currency: wholesale.currency };
}
export function cents(amount: string): number { return Math.round(+amount * 100); }
`;
    const findings = floatFindings({ 'src/services/bad-pricing.ts': bad }).join('\n');
    for (const expected of [
      'calls parseFloat',
      'calls Number',
      'number arithmetic',
      'formats a number with toFixed',
      'cents() returns a number',
      'calls Math.round',
      'unary +',
    ])
      expect(findings).toContain(expected);
  });
});
