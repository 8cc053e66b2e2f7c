import { toScaledInteger } from '../../domain/money';
import { generateCatalog, type PlanSpec } from '../shared/catalog-generator';
import type { Region } from '../shared/world';
import { countryLogo, countryName, globalCode, regionCode } from './locations';
import type { SimPackage, WireLocationNetwork, WirePackage } from './wire';

/** eSIM Access quotes money as an integer of USD × 10 000 (research §1.1). */
const MONEY_SCALE = 10_000;
const BYTES_PER_MB = 1024 * 1024;

export interface SimCatalog {
  readonly base: readonly SimPackage[];
  readonly topUps: readonly SimPackage[];
}

/** The provider's catalog: the shared deterministic plans rendered into `package/list` objects. */
export function buildCatalog(): SimCatalog {
  const specs = generateCatalog({
    seed: 'esimaccess',
    priceFactor: 1.0,
    priceDecimals: 4,
    countryCount: 48,
    unlimited: true,
    dayPass: true,
    voiceAndSms: false,
    globalEsim: false,
    cruise: false,
  });
  const base = specs.map((spec, index) => renderBase(spec, index));
  const topUps = base.filter((p) => p.wire.supportTopUpType !== 1).map(renderTopUp);
  return { base, topUps };
}

function renderBase(spec: PlanSpec, index: number): SimPackage {
  const scope = spec.coverage === 'COUNTRY' ? 'COUNTRY' : spec.coverage === 'REGION' ? 'REGION' : 'GLOBAL';
  const locationCode =
    scope === 'COUNTRY' ? spec.countries[0] : scope === 'REGION' ? regionCode(spec.regionName as Region) : globalCode();
  const prefix = locationCode.split('-')[0];
  const dataType = spec.dataMb === null ? 4 : spec.dayPass ? 2 : 1;
  const gb = spec.dataMb === null ? null : String(spec.dataMb / 1024);
  const slug =
    dataType === 4
      ? `${locationCode}_Unlimited_${spec.validityDays}`
      : dataType === 2
        ? `${locationCode}_${gb}_Daily`
        : `${locationCode}_${gb}_${spec.validityDays}`;
  const wire: WirePackage = {
    packageCode: `C${prefix}${String(index + 1).padStart(3, '0')}`,
    slug,
    name: `${displayPlace(spec, scope)} ${dataType === 4 ? `Unlimited ${spec.validityDays}Days` : dataType === 2 ? `${gb}GB/Day` : `${gb}GB ${spec.validityDays}Days`}`,
    description: '',
    price: toScaledInteger(spec.priceUsd, MONEY_SCALE),
    retailPrice: toScaledInteger(spec.retailUsd, MONEY_SCALE),
    currencyCode: 'USD',
    // Unlimited plans carry no allowance: volume 0 with dataType 4 (ASSUMED, README).
    volume: spec.dataMb === null ? 0 : spec.dataMb * BYTES_PER_MB,
    duration: spec.validityDays,
    durationUnit: 'DAY',
    unusedValidTime: 180,
    location: spec.countries.join(','),
    locationNetworkList: networksOf(spec),
    speed: spec.networks.some((n) => n.speed === '5G') ? '3G/4G/5G' : '3G/4G',
    activeType: index % 5 === 0 ? 1 : 2,
    // Total-data packages look like the published example, which has no dataType (README).
    ...(dataType === 1 ? {} : { dataType }),
    // Single-country packages take API SMS, some from phones too; multi-country ones none (ASSUMED).
    smsStatus: scope !== 'COUNTRY' ? 0 : index % 4 === 0 ? 1 : 2,
    supportTopUpType: !spec.topUp ? 1 : dataType === 2 ? 3 : 2,
    ipExport:
      scope === 'COUNTRY' && index % 3 !== 0
        ? spec.countries[0]
        : scope === 'REGION' && spec.regionName === 'Europe'
          ? 'NL'
          : 'HK',
    fupPolicy: dataType === 2 ? '512 Kbps' : '',
    favorite: index % 11 === 0,
  };
  return { wire: { ...wire, description: wire.name }, locationCode, scope, dataType, baseCode: null };
}

function displayPlace(spec: PlanSpec, scope: SimPackage['scope']): string {
  if (scope === 'COUNTRY') return countryName(spec.countries[0]);
  return `${spec.regionName} (${spec.countries.length} areas)`;
}

/** Operators grouped per country, keyed by country NAME as the provider does (research §1.4). */
function networksOf(spec: PlanSpec): WireLocationNetwork[] {
  return spec.countries
    .map((code) => ({
      locationName: countryName(code),
      locationLogo: countryLogo(code),
      operatorList: spec.networks
        .filter((n) => n.country === code)
        .map((n) => ({ operatorName: n.operator, networkType: n.speed })),
    }))
    .filter((entry) => entry.operatorList.length > 0);
}

/** A top-up mirrors its base package under a `TOPUP_` code (research §1.4); it never tops up itself. */
function renderTopUp(base: SimPackage): SimPackage {
  const wire: WirePackage = {
    ...base.wire,
    packageCode: `TOPUP_${base.wire.packageCode}`,
    slug: `TOPUP_${base.wire.slug}`,
    name: `${base.wire.name} Top Up`,
    description: `${base.wire.name} Top Up`,
    supportTopUpType: 1,
    favorite: false,
  };
  return { ...base, wire, baseCode: base.wire.packageCode };
}
