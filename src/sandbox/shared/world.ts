/**
 * The simulated world the sandbox catalogs draw from: real ISO alpha-2 codes, their region and
 * real mobile operators with the best radio each sells roaming data on. Static data, no I/O.
 */
export interface WorldCountry {
  readonly code: string;
  readonly region: Region;
  readonly operators: readonly { readonly name: string; readonly speed: string }[];
}

export const REGIONS = [
  'Europe',
  'Asia',
  'North America',
  'South America',
  'Middle East',
  'Africa',
  'Oceania',
  'Caribbean',
] as const;
export type Region = (typeof REGIONS)[number];

const TABLE = `
FR Europe Orange:5G|SFR:5G|Bouygues Telecom:4G|Free Mobile:4G
DE Europe Telekom:5G|Vodafone:5G|O2:4G
ES Europe Movistar:5G|Vodafone:4G|Orange:4G
IT Europe TIM:5G|Vodafone:5G|WindTre:4G
GB Europe EE:5G|Vodafone:5G|O2:4G|Three:4G
PT Europe MEO:5G|NOS:4G|Vodafone:4G
NL Europe KPN:5G|Vodafone:4G|Odido:4G
BE Europe Proximus:5G|Orange:4G|Base:4G
AT Europe A1:5G|Magenta:4G|Drei:4G
CH Europe Swisscom:5G|Sunrise:5G|Salt:4G
GR Europe Cosmote:5G|Vodafone:4G|Nova:4G
IE Europe Vodafone:4G|Three:4G|Eir:4G
PL Europe Plus:5G|Orange:4G|Play:4G
CZ Europe O2:4G|T-Mobile:5G|Vodafone:4G
SE Europe Telia:5G|Tele2:4G|Telenor:4G
NO Europe Telenor:5G|Telia:4G
DK Europe TDC:5G|Telenor:4G|3:4G
FI Europe Elisa:5G|DNA:4G|Telia:4G
HU Europe Magyar Telekom:4G|Yettel:4G
RO Europe Orange:5G|Vodafone:4G|Digi:4G
HR Europe Hrvatski Telekom:4G|A1:4G
IS Europe Siminn:4G|Vodafone:4G
TR Europe Turkcell:4G|Vodafone:4G|Turk Telekom:4G
US North America AT&T:5G|T-Mobile:5G|Verizon:4G
CA North America Rogers:5G|Bell:5G|Telus:4G
MX North America Telcel:4G|AT&T:4G|Movistar:4G
BR South America Vivo:5G|Claro:4G|TIM:4G
AR South America Personal:4G|Claro:4G|Movistar:4G
CL South America Entel:5G|Movistar:4G|Claro:4G
CO South America Claro:4G|Movistar:4G|Tigo:4G
PE South America Claro:4G|Movistar:4G|Entel:4G
JP Asia NTT Docomo:5G|SoftBank:5G|KDDI au:4G
KR Asia SK Telecom:5G|KT:5G|LG U+:4G
CN Asia China Mobile:5G|China Unicom:4G
HK Asia CSL:5G|3HK:4G|SmarTone:4G
TW Asia Chunghwa Telecom:5G|Taiwan Mobile:4G
SG Asia Singtel:5G|StarHub:4G|M1:4G
TH Asia AIS:5G|dtac:4G|TrueMove H:4G
VN Asia Viettel:4G|Vinaphone:4G|Mobifone:4G
MY Asia Maxis:5G|CelcomDigi:4G|U Mobile:4G
ID Asia Telkomsel:4G|Indosat:4G|XL Axiata:4G
PH Asia Globe:4G|Smart:4G
IN Asia Airtel:5G|Jio:5G|Vi:4G
KH Asia Cellcard:4G|Smart:4G
AE Middle East Etisalat:5G|du:5G
SA Middle East STC:5G|Mobily:4G|Zain:4G
QA Middle East Ooredoo:5G|Vodafone:4G
IL Middle East Partner:4G|Cellcom:4G|Pelephone:4G
JO Middle East Zain:4G|Orange:4G
EG Africa Vodafone:4G|Orange:4G|Etisalat:4G
MA Africa Maroc Telecom:4G|Orange:4G|inwi:4G
ZA Africa Vodacom:5G|MTN:5G|Cell C:4G
KE Africa Safaricom:4G|Airtel:4G
NG Africa MTN:4G|Airtel:4G|Glo:4G
TZ Africa Vodacom:4G|Airtel:4G
GM Africa Africell:4G|Comium:3G|QCell:4G
SN Africa Orange:4G|Free:4G
AU Oceania Telstra:5G|Optus:5G|Vodafone:4G
NZ Oceania Spark:5G|One NZ:4G|2degrees:4G
FJ Oceania Vodafone:4G|Digicel:4G
DO Caribbean Claro:4G|Altice:4G
JM Caribbean Digicel:4G|Flow:4G
BS Caribbean BTC:4G|Aliv:4G
`;

// Each line: "<alpha-2> <region> <operator>:<speed>|…"; regions and operator names contain spaces.
export const WORLD: readonly WorldCountry[] = TABLE.trim()
  .split('\n')
  .map((line) => {
    const code = line.slice(0, 2);
    const rest = line.slice(3);
    const region = REGIONS.find((r) => rest.startsWith(`${r} `));
    if (!region) throw new Error(`world table: no region in "${line}"`);
    return {
      code,
      region,
      operators: rest
        .slice(region.length + 1)
        .split('|')
        .map((o) => {
          const at = o.lastIndexOf(':');
          return { name: o.slice(0, at), speed: o.slice(at + 1) };
        }),
    };
  });

export function countriesOf(region: Region): WorldCountry[] {
  return WORLD.filter((c) => c.region === region);
}
