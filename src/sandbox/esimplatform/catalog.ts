import { countryByAlpha2 } from '../../domain/countries';
import { generateCatalog, type PlanSpec } from '../shared/catalog-generator';
import type { Region } from '../shared/world';

/** Region codes of the platform ("EU", "NA", "ASIA" appear in the document; the rest are assumed). */
export type WireRegionCode = 'EU' | 'ASIA' | 'NA' | 'LATAM' | 'ME' | 'AF' | 'OC' | 'CARIB' | 'GLOBAL';

/** A plan as the platform serves it (field names assumed; the document shows none for plans). */
export interface WirePlan {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** ISO alpha-2 for single-country plans, null for multi-country ones. */
  readonly country_code: string | null;
  readonly countries: readonly string[];
  /** null for single-country plans. */
  readonly region_code: WireRegionCode | null;
  readonly provider_id: string;
  /** MB, 1 GB = 1024 MB (the top-up example pairs "5GB" with 5120); null when unlimited. */
  readonly data_volume_mb: number | null;
  readonly is_unlimited: boolean;
  readonly validity_days: number;
  /** USD as a JSON number with the reseller's markup applied, like the document's `15.00`. */
  readonly price: number;
  readonly currency: 'USD';
  readonly networks: readonly { readonly country: string; readonly operator: string; readonly type: string }[];
  readonly topup_available: boolean;
}

/** A top-up package of "Get Available Topup Plans": exactly the documented four fields. */
export interface WireTopUpPackage {
  readonly package_code: string;
  readonly data_volume_mb: number;
  readonly price: number;
  readonly validity_days: number;
}

const REGION_CODES: Readonly<Record<Region, WireRegionCode>> = {
  Europe: 'EU',
  Asia: 'ASIA',
  'North America': 'NA',
  'South America': 'LATAM',
  'Middle East': 'ME',
  Africa: 'AF',
  Oceania: 'OC',
  Caribbean: 'CARIB',
};

/**
 * Plans the platform's own suppliers carry for Russia. The document says "Russia plans are
 * excluded", so they exist upstream but are never served; the sandbox keeps them to prove it.
 */
const RUSSIA_SPECS: readonly PlanSpec[] = [3, 10].map((gb) => ({
  key: `RU-${gb}GB-30D`,
  coverage: 'COUNTRY',
  countries: ['RU'],
  regionName: null,
  dataMb: gb * 1024,
  validityDays: 30,
  dayPass: false,
  priceUsd: (2 + gb * 1.1).toFixed(2),
  retailUsd: (3 + gb * 1.8).toFixed(2),
  topUp: false,
  voiceMinutes: null,
  smsCount: null,
  profileType: 'STANDARD',
  networks: [
    { country: 'RU', operator: 'MTS', speed: '4G' },
    { country: 'RU', operator: 'MegaFon', speed: '4G' },
  ],
}));

/** The platform's whole inventory, Russia included; `served` is what resellers may see. */
export class PlatformCatalog {
  readonly all: readonly WirePlan[];
  readonly served: readonly WirePlan[];
  private readonly byId: ReadonlyMap<string, WirePlan>;
  /** Package code → the one base plan it tops up. */
  private readonly topUps: ReadonlyMap<string, { readonly plan: WirePlan; readonly pkg: WireTopUpPackage }>;

  constructor() {
    const specs = generateCatalog({
      seed: 'esimplatform',
      priceFactor: 0.97,
      priceDecimals: 2,
      countryCount: 50,
      unlimited: true,
      dayPass: false,
      voiceAndSms: false,
      globalEsim: false,
      cruise: false,
    });
    this.all = [...specs, ...RUSSIA_SPECS].map((spec, index) => render(spec, index));
    this.served = this.all.filter((plan) => !plan.countries.includes('RU'));
    this.byId = new Map(this.served.map((plan) => [plan.id, plan]));
    this.topUps = new Map(
      this.served.flatMap((plan) => {
        const pkg = topUpPackageOf(plan);
        return pkg ? [[pkg.package_code, { plan, pkg }] as const] : [];
      }),
    );
  }

  find(id: string): WirePlan | undefined {
    return this.byId.get(id);
  }

  /** The packages an eSIM of `planId` may buy (empty for unlimited or non-top-up plans). */
  topUpsOf(planId: string): WireTopUpPackage[] {
    const plan = this.byId.get(planId);
    const pkg = plan && topUpPackageOf(plan);
    return pkg ? [pkg] : [];
  }

  /** A package by code, with the base plan it belongs to. */
  findTopUp(code: string): { readonly plan: WirePlan; readonly pkg: WireTopUpPackage } | undefined {
    return this.topUps.get(code);
  }
}

function render(spec: PlanSpec, index: number): WirePlan {
  const single = spec.coverage === 'COUNTRY';
  const place = single ? countryName(spec.countries[0]) : (spec.regionName ?? 'Global');
  const volume = spec.dataMb === null ? 'Unlimited' : `${spec.dataMb / 1024}GB`;
  return {
    id: `plan-${1001 + index}`,
    name: `${volume} - ${place}`,
    description: `${volume} of data in ${place}${single ? '' : ` (${spec.countries.length} countries)`}, valid for ${spec.validityDays} days`,
    country_code: single ? spec.countries[0] : null,
    countries: spec.countries,
    region_code: single ? null : spec.coverage === 'GLOBAL' ? 'GLOBAL' : REGION_CODES[spec.regionName as Region],
    provider_id: `provider-${(index % 3) + 1}`,
    data_volume_mb: spec.dataMb,
    is_unlimited: spec.dataMb === null,
    validity_days: spec.validityDays,
    price: Number(spec.priceUsd),
    currency: 'USD',
    networks: spec.networks.map((n) => ({ country: n.country, operator: n.operator, type: n.speed })),
    topup_available: spec.topUp,
  };
}

/**
 * A top-up mirrors its base plan's data, days and price (as eSIM Access's TOPUP_ packages do), in
 * the document's `PKG_5GB_30D` style plus the plan number, since prices differ per plan.
 */
function topUpPackageOf(plan: WirePlan): WireTopUpPackage | null {
  if (!plan.topup_available || plan.data_volume_mb === null) return null;
  const volume = `${plan.data_volume_mb / 1024}GB`;
  return {
    package_code: `PKG_${volume}_${plan.validity_days}D_${plan.id.replace(/^plan-/, 'P')}`,
    data_volume_mb: plan.data_volume_mb,
    price: plan.price,
    validity_days: plan.validity_days,
  };
}

export function countryName(code: string): string {
  return countryByAlpha2(code)?.name ?? code;
}
