import { findCountry } from '../../domain/countries';
import { generateCatalog, type PlanSpec } from '../shared/catalog-generator';
import { microsecondTimestamp } from './errors';

/** A product as ConnectedYou's catalog endpoints return it (field names assumed; see the adapter README). */
export interface ProductWire {
  /** Numeric string, "used while calling APIs" (GitBook, product-status-change). */
  readonly product_id: string;
  readonly name: string;
  readonly type: 'fixed' | 'unlimited';
  readonly coverage: 'local' | 'regional' | 'global';
  /** MB with 1 GB = 1024 MB; null for unlimited products. */
  readonly data_mb: number | null;
  readonly validity_days: number;
  /** ISO alpha-2 */
  readonly countries: readonly string[];
  readonly region: string | null;
  /** Decimal string */
  readonly price: string;
  readonly currency: string;
  readonly networks: readonly { readonly country: string; readonly operator: string; readonly technology: string }[];
  readonly topup_available: boolean;
  readonly status: 'ACTIVE' | 'INACTIVE';
  readonly created_at: string;
  readonly updated_at: string;
}

/** Multiplies fallback prices, as `priceFactor` does the generated ones. */
const PRICE_FACTOR = '1.08';

/** Product ids start here, so they look like the documented "636". */
const FIRST_PRODUCT_ID = 600;
const CATALOG_EPOCH = Date.UTC(2025, 0, 6, 9, 30, 0, 412);

/** ConnectedYou's deterministic catalog: fixed-data and unlimited products, no day passes. */
export function buildProducts(): ProductWire[] {
  const specs = generateCatalog({
    seed: 'connectedyou',
    priceFactor: Number(PRICE_FACTOR),
    priceDecimals: 2,
    countryCount: 52,
    unlimited: true,
    dayPass: false,
    voiceAndSms: false,
    globalEsim: false,
    cruise: false,
  });
  return specs.map((spec, index) => renderProduct(spec, index));
}

function renderProduct(spec: PlanSpec, index: number): ProductWire {
  const created = new Date(CATALOG_EPOCH + index * 3_600_000 + index * 137);
  return {
    product_id: String(FIRST_PRODUCT_ID + index),
    name: productName(spec),
    type: spec.dataMb === null ? 'unlimited' : 'fixed',
    coverage: spec.coverage === 'COUNTRY' ? 'local' : spec.coverage === 'REGION' ? 'regional' : 'global',
    data_mb: spec.dataMb,
    validity_days: spec.validityDays,
    countries: [...spec.countries],
    region: spec.regionName,
    price: spec.priceUsd,
    currency: 'USD',
    networks: spec.networks.map((n) => ({ country: n.country, operator: n.operator, technology: n.speed })),
    topup_available: spec.topUp,
    // A few retired products stay listed, as catalogs that keep ids stable do.
    status: index % 47 === 46 ? 'INACTIVE' : 'ACTIVE',
    created_at: microsecondTimestamp(created),
    updated_at: microsecondTimestamp(new Date(created.getTime() + 86_400_000)),
  };
}

function productName(spec: PlanSpec): string {
  const where =
    spec.coverage === 'COUNTRY'
      ? (findCountry(spec.countries[0])?.name ?? spec.countries[0])
      : (spec.regionName ?? 'Global');
  const data = spec.dataMb === null ? 'Unlimited' : `${spec.dataMb / 1024}GB`;
  return `${where} ${data} ${spec.validityDays} Days`;
}
