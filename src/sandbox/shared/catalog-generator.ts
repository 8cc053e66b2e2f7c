import { multiplyDecimal, roundToMinor } from '../../domain/money';
import { SeededRandom } from './random';
import { REGIONS, WORLD, countriesOf, type Region } from './world';

/**
 * A provider-neutral plan the simulators render into their own wire format (units, codes,
 * field names). Prices are decimal strings in USD.
 */
export interface PlanSpec {
  /** Stable, unique within one catalog, e.g. "FR-5GB-30D", "EUROPE-UNL-7D", "GLOBAL-10GB-30D". */
  readonly key: string;
  readonly coverage: 'COUNTRY' | 'REGION' | 'GLOBAL' | 'CRUISE';
  /** ISO alpha-2, sorted */
  readonly countries: readonly string[];
  readonly regionName: string | null;
  /** MB with 1 GB = 1024 MB; null when unlimited */
  readonly dataMb: number | null;
  readonly validityDays: number;
  /** The allowance renews daily (eSIM Access day passes). */
  readonly dayPass: boolean;
  readonly priceUsd: string;
  readonly retailUsd: string;
  readonly networks: readonly { readonly country: string; readonly operator: string; readonly speed: string }[];
  readonly topUp: boolean;
  readonly voiceMinutes: number | null;
  readonly smsCount: number | null;
  readonly profileType: 'STANDARD' | 'GLOBAL_ESIM';
}

export interface CatalogOptions {
  /** Seeds the PRNG: each provider passes its own id, so catalogs differ. */
  readonly seed: string;
  /** Multiplies every price, so providers are not equally cheap. */
  readonly priceFactor: number;
  /** Decimal places of wholesale prices (eSIM Access quotes to 1/10 000 USD). */
  readonly priceDecimals: number;
  /** How many countries (from the 64 of the world table) get single-country plans; at least 40. */
  readonly countryCount: number;
  readonly unlimited: boolean;
  readonly dayPass: boolean;
  readonly voiceAndSms: boolean;
  readonly globalEsim: boolean;
  readonly cruise: boolean;
}

const REGION_PER_GB: Readonly<Record<Region, number>> = {
  Europe: 0.9,
  Asia: 1.2,
  'North America': 1.6,
  'South America': 2.1,
  'Middle East': 2.6,
  Africa: 3.1,
  Oceania: 1.8,
  Caribbean: 3.4,
};
const SIZES_GB = [1, 3, 5, 10, 20, 50];
const DAYS = [7, 15, 30];

/** The deterministic catalog of one provider: ≥150 plans over ≥40 countries with regional and global ones. */
export function generateCatalog(options: CatalogOptions): PlanSpec[] {
  const rnd = new SeededRandom(options.seed);
  const plans: PlanSpec[] = [];
  const price = (usd: number) =>
    (usd * options.priceFactor * (0.92 + rnd.next() * 0.16)).toFixed(options.priceDecimals);
  const retail = (wholesale: string) => roundToMinor(multiplyDecimal(wholesale, '1.6'), 'USD');
  const networksOf = (codes: readonly string[]) =>
    codes.flatMap((code) => {
      const country = WORLD.find((c) => c.code === code)!;
      return country.operators
        .slice(0, rnd.int(1, country.operators.length))
        .map((op) => ({ country: code, operator: op.name, speed: op.speed }));
    });
  const add = (
    spec: Omit<PlanSpec, 'retailUsd' | 'networks' | 'topUp' | 'voiceMinutes' | 'smsCount' | 'profileType'> &
      Partial<PlanSpec>,
  ) => {
    const withVoice = options.voiceAndSms && spec.coverage === 'COUNTRY' && rnd.chance(0.15);
    plans.push({
      retailUsd: retail(spec.priceUsd),
      networks: networksOf(spec.countries),
      topUp: rnd.chance(0.7),
      voiceMinutes: withVoice ? rnd.pick([30, 60, 100]) : null,
      smsCount: withVoice ? rnd.pick([20, 50, 100]) : null,
      profileType: 'STANDARD',
      ...spec,
    });
  };

  const countries = WORLD.slice(0, Math.max(40, Math.min(options.countryCount, WORLD.length)));
  for (const country of countries) {
    const perGb = REGION_PER_GB[country.region];
    const sizes = SIZES_GB.filter(() => rnd.chance(0.6)).slice(0, 4);
    if (sizes.length < 3) sizes.push(...SIZES_GB.filter((s) => !sizes.includes(s)).slice(0, 3 - sizes.length));
    for (const gb of sizes.sort((a, b) => a - b)) {
      const days = gb <= 3 ? rnd.pick([7, 15]) : rnd.pick(DAYS);
      add({
        key: `${country.code}-${gb}GB-${days}D`,
        coverage: 'COUNTRY',
        countries: [country.code],
        regionName: null,
        dataMb: gb * 1024,
        validityDays: days,
        dayPass: false,
        priceUsd: price(0.6 + gb * perGb * (gb >= 20 ? 0.7 : 1)),
      });
    }
    if (options.unlimited && rnd.chance(0.5)) {
      const days = rnd.pick([5, 10, 15]);
      add({
        key: `${country.code}-UNL-${days}D`,
        coverage: 'COUNTRY',
        countries: [country.code],
        regionName: null,
        dataMb: null,
        validityDays: days,
        dayPass: false,
        priceUsd: price(days * perGb * 1.9),
      });
    }
    if (options.dayPass && rnd.chance(0.5)) {
      const gb = rnd.pick([1, 2]);
      add({
        key: `${country.code}-${gb}GBD-1D`,
        coverage: 'COUNTRY',
        countries: [country.code],
        regionName: null,
        dataMb: gb * 1024,
        validityDays: 1,
        dayPass: true,
        priceUsd: price(0.3 + gb * perGb * 0.9),
      });
    }
  }

  for (const region of REGIONS) {
    const members = countriesOf(region)
      .map((c) => c.code)
      .sort();
    if (members.length < 3) continue;
    for (const gb of [3, 10, 20]) {
      const days = gb === 3 ? 15 : 30;
      add({
        key: `${region.toUpperCase().replace(/ /g, '_')}-${gb}GB-${days}D`,
        coverage: 'REGION',
        countries: members,
        regionName: region,
        dataMb: gb * 1024,
        validityDays: days,
        dayPass: false,
        priceUsd: price(1 + gb * REGION_PER_GB[region] * 1.15),
      });
    }
    if (options.unlimited) {
      add({
        key: `${region.toUpperCase().replace(/ /g, '_')}-UNL-10D`,
        coverage: 'REGION',
        countries: members,
        regionName: region,
        dataMb: null,
        validityDays: 10,
        dayPass: false,
        priceUsd: price(10 * REGION_PER_GB[region] * 2.4),
      });
    }
  }

  const everywhere = WORLD.map((c) => c.code).sort();
  for (const gb of [1, 5, 10, 20]) {
    add({
      key: `GLOBAL-${gb}GB-30D`,
      coverage: 'GLOBAL',
      countries: everywhere,
      regionName: 'Global',
      dataMb: gb * 1024,
      validityDays: 30,
      dayPass: false,
      priceUsd: price(2 + gb * 3.2),
    });
  }
  if (options.globalEsim) {
    for (const gb of [3, 10]) {
      add({
        key: `GESIM-${gb}GB-30D`,
        coverage: 'GLOBAL',
        countries: everywhere,
        regionName: 'Global',
        dataMb: gb * 1024,
        validityDays: 30,
        dayPass: false,
        priceUsd: price(3 + gb * 3.5),
        profileType: 'GLOBAL_ESIM',
        topUp: true,
      });
    }
  }
  if (options.cruise) {
    add({
      key: 'CRUISE-1GB-7D',
      coverage: 'CRUISE',
      countries: [],
      regionName: 'Cruise ships',
      dataMb: 1024,
      validityDays: 7,
      dayPass: false,
      priceUsd: price(19),
      networks: [],
    });
  }
  return plans;
}
