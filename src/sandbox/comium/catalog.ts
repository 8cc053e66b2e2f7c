import { findCountry } from '../../domain/countries';
import { generateCatalog, type PlanSpec } from '../shared/catalog-generator';
import { SeededRandom } from '../shared/random';
import { WORLD, type Region } from '../shared/world';

export type BundleCategory = 'global' | 'region' | 'country' | 'cruise';
export type ProfileType = 'STANDARD' | 'GLOBAL_ESIM';

/**
 * One bundle as the simulator keeps it: the documented item fields plus what only the simulator
 * knows (its category, countries and region code, to answer the request filters, and its voice/SMS
 * allowances, reported through consumption). The wire item is `toWireBundle`.
 */
export interface SimBundle {
  readonly bundle_code: string;
  readonly bundle_name: string;
  readonly bundle_marketing_name: string;
  readonly bundle_category: BundleCategory;
  readonly country_code: string | null;
  readonly countries: readonly string[];
  readonly country_name: string;
  readonly region_code: string | null;
  readonly region_name: string;
  readonly validity: number;
  /** MB (1 GB = 1024 MB), or "unlimited" */
  readonly data_quota: number | 'unlimited';
  readonly calls_quota: number | null;
  readonly sms_quota: number | null;
  readonly bundle_price_final: number;
  readonly subscriber_price: number;
  readonly reseller_retail_price: number;
  readonly support_topup: boolean;
  readonly supports_calls_sms: boolean;
  readonly profile_type: ProfileType;
}

/** One item of `GET /Bundles` as sent: exactly the 13 fields of seed 002 ("Response (per bundle item)"). */
export type WireBundle = Pick<
  SimBundle,
  | 'bundle_code'
  | 'bundle_name'
  | 'bundle_marketing_name'
  | 'country_name'
  | 'region_name'
  | 'validity'
  | 'data_quota'
  | 'bundle_price_final'
  | 'subscriber_price'
  | 'reseller_retail_price'
  | 'support_topup'
  | 'supports_calls_sms'
  | 'profile_type'
>;

export function toWireBundle(b: SimBundle): WireBundle {
  return {
    bundle_code: b.bundle_code,
    bundle_name: b.bundle_name,
    bundle_marketing_name: b.bundle_marketing_name,
    country_name: b.country_name,
    region_name: b.region_name,
    validity: b.validity,
    data_quota: b.data_quota,
    bundle_price_final: b.bundle_price_final,
    subscriber_price: b.subscriber_price,
    reseller_retail_price: b.reseller_retail_price,
    support_topup: b.support_topup,
    supports_calls_sms: b.supports_calls_sms,
    profile_type: b.profile_type,
  };
}

/** One item of `GET /Bundles/Networks` (seed 002); `country_code` assumed alpha-3 like the rest. */
export interface WireNetwork {
  readonly country_code: string;
  readonly country_name: string;
  readonly network_name: string;
  readonly network_speed: string;
}

export interface ComiumCatalog {
  readonly bundles: readonly SimBundle[];
  readonly networks: ReadonlyMap<string, readonly WireNetwork[]>;
}

export const REGION_CODES: Readonly<Record<Region, string>> = {
  Europe: 'EUR',
  Asia: 'ASI',
  'North America': 'NAM',
  'South America': 'SAM',
  'Middle East': 'MEA',
  Africa: 'AFR',
  Oceania: 'OCE',
  Caribbean: 'CAR',
};

const CATEGORY: Readonly<Record<PlanSpec['coverage'], BundleCategory>> = {
  COUNTRY: 'country',
  REGION: 'region',
  GLOBAL: 'global',
  CRUISE: 'cruise',
};

export function buildCatalog(): ComiumCatalog {
  const specs = generateCatalog({
    seed: 'comium',
    priceFactor: 1.15,
    priceDecimals: 2,
    countryCount: 45,
    unlimited: false,
    dayPass: false,
    voiceAndSms: true,
    globalEsim: true,
    cruise: true,
  });
  const rnd = new SeededRandom('comium-bundle-codes');
  const used = new Set<string>();
  const bundles: SimBundle[] = [];
  const networks = new Map<string, WireNetwork[]>();
  for (const spec of specs) {
    let code: string;
    do code = `${codePrefix(spec)}${quotaLabel(spec.dataMb)}_${rnd.digits(10)}`;
    while (used.has(code));
    used.add(code);
    bundles.push(renderBundle(spec, code));
    networks.set(
      code,
      spec.networks.map((n) => ({
        country_code: alpha3(n.country),
        country_name: nameOf(n.country),
        network_name: n.operator,
        network_speed: n.speed,
      })),
    );
  }
  return { bundles, networks };
}

function renderBundle(spec: PlanSpec, code: string): SimBundle {
  const single = spec.coverage === 'COUNTRY' ? spec.countries[0] : null;
  const region = single ? regionOfCountry(spec) : spec.regionName;
  const place = single
    ? nameOf(single)
    : spec.profileType === 'GLOBAL_ESIM'
      ? 'Global eSIM'
      : (spec.regionName ?? 'Global');
  const voice = spec.voiceMinutes !== null;
  return {
    bundle_code: code,
    bundle_name: `${codePrefix(spec)}_${quotaLabel(spec.dataMb)}_${spec.validityDays}D`,
    bundle_marketing_name: `${place} ${quotaLabel(spec.dataMb)} ${spec.validityDays} Days${voice ? ' + Calls & SMS' : ''}`,
    bundle_category: CATEGORY[spec.coverage],
    country_code: single ? alpha3(single) : null,
    countries: spec.countries.map(alpha3),
    country_name: single ? nameOf(single) : place,
    region_code: region && region in REGION_CODES ? REGION_CODES[region as Region] : null,
    region_name: region ?? '',
    validity: spec.validityDays,
    data_quota: spec.dataMb ?? 'unlimited',
    calls_quota: spec.voiceMinutes,
    sms_quota: spec.smsCount,
    // Comium quotes plain decimal numbers; the generator's decimal strings parse to the same value.
    bundle_price_final: Number(spec.priceUsd),
    subscriber_price: Number(spec.retailUsd),
    reseller_retail_price: Number(spec.retailUsd),
    support_topup: spec.topUp,
    supports_calls_sms: voice,
    profile_type: spec.profileType,
  };
}

/** Bundle codes look like the document's example `USA3GB_3102938429`. */
function codePrefix(spec: PlanSpec): string {
  switch (spec.coverage) {
    case 'COUNTRY':
      return alpha3(spec.countries[0]);
    case 'REGION':
      return REGION_CODES[spec.regionName as Region] ?? 'REG';
    case 'GLOBAL':
      return spec.profileType === 'GLOBAL_ESIM' ? 'GESIM' : 'GLOBAL';
    case 'CRUISE':
      return 'CRUISE';
  }
}

function quotaLabel(dataMb: number | null): string {
  if (dataMb === null) return 'UNL';
  return dataMb % 1024 === 0 ? `${dataMb / 1024}GB` : `${dataMb}MB`;
}

/** The generator keys country plans by alpha-2 only; the world table knows each one's region. */
function regionOfCountry(spec: PlanSpec): string | null {
  return WORLD.find((c) => c.code === spec.countries[0])?.region ?? null;
}

function alpha3(alpha2: string): string {
  const country = findCountry(alpha2);
  if (!country) throw new Error(`world table country ${alpha2} has no ISO alpha-3 code`);
  return country.alpha3;
}

function nameOf(alpha2: string): string {
  return findCountry(alpha2)?.name ?? alpha2;
}
