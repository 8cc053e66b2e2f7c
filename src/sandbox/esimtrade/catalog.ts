import { countryByAlpha2 } from '../../domain/countries';
import { generateCatalog, type PlanSpec } from '../shared/catalog-generator';

export type WirePlanType = 'local' | 'regional' | 'global';

/** One plan as the simulated `GET /portal/plans` renders it (wire shape assumed, see the adapter README). */
export interface WirePlan {
  readonly slug: string;
  readonly name: string;
  readonly type: WirePlanType;
  readonly countries: readonly { readonly code: string; readonly name: string }[];
  readonly region: string | null;
  readonly data: { readonly amount: number; readonly unit: 'GB' | 'MB' } | { readonly unlimited: true };
  readonly validity_days: number;
  readonly price: { readonly amount: string; readonly currency: 'USD' };
  readonly operators: readonly { readonly country: string; readonly name: string; readonly network: string }[];
  /** Whether top-ups can later be bought for an eSIM of this plan (via /portal/topups). */
  readonly topup: boolean;
}

/** eSIMTrade's catalog: the shared generator's plans, rendered in its own wire format. */
export function buildCatalog(): WirePlan[] {
  const specs = generateCatalog({
    seed: 'esimtrade',
    priceFactor: 1.04,
    priceDecimals: 2,
    countryCount: 46,
    unlimited: true,
    dayPass: false,
    voiceAndSms: false,
    globalEsim: false,
    cruise: false,
  });
  return specs.map((spec, index) => renderPlan(spec, index));
}

function renderPlan(spec: PlanSpec, index: number): WirePlan {
  const type = planType(spec.coverage);
  return {
    slug: spec.key.toLowerCase().replace(/_/g, '-'),
    name: planName(spec),
    type,
    countries: spec.countries.map((code) => ({ code, name: countryByAlpha2(code)?.name ?? code })),
    region: type === 'local' ? null : spec.regionName,
    data: renderData(spec.dataMb, index),
    validity_days: spec.validityDays,
    price: { amount: spec.priceUsd, currency: 'USD' },
    operators: spec.networks.map((n) => ({ country: n.country, name: n.operator, network: n.speed })),
    topup: spec.topUp,
  };
}

/** Some plans quote data in MB, the rest in GB, so clients must handle both (1 GB = 1024 MB). */
function renderData(dataMb: number | null, index: number): WirePlan['data'] {
  if (dataMb === null) return { unlimited: true };
  if (dataMb < 1024 || index % 3 === 2) return { amount: dataMb, unit: 'MB' };
  return { amount: dataMb / 1024, unit: 'GB' };
}

function planType(coverage: PlanSpec['coverage']): WirePlanType {
  switch (coverage) {
    case 'COUNTRY':
      return 'local';
    case 'REGION':
      return 'regional';
    case 'GLOBAL':
    case 'CRUISE':
      return 'global';
    default: {
      const unknown: never = coverage;
      throw new Error(`unknown coverage ${String(unknown)}`);
    }
  }
}

function planName(spec: PlanSpec): string {
  const where =
    spec.coverage === 'COUNTRY'
      ? (countryByAlpha2(spec.countries[0])?.name ?? spec.countries[0])
      : (spec.regionName ?? 'Global');
  const data =
    spec.dataMb === null ? 'Unlimited' : spec.dataMb % 1024 === 0 ? `${spec.dataMb / 1024}GB` : `${spec.dataMb}MB`;
  return `${where} ${data} ${spec.validityDays} Days`;
}
