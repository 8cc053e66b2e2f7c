import type { Request } from 'express';
import { countryName, type WirePlan } from './catalog';

/** `GET /plans` query, as documented: page defaults to 1, limit to 20 with a maximum of 100. */
export interface PlanQuery {
  readonly country?: string;
  readonly countryName?: string;
  readonly region?: string;
  readonly provider?: string;
  readonly search?: string;
  readonly page: number;
  readonly limit: number;
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** Parses the query or returns the message of a VALIDATION_ERROR. */
export function parsePlanQuery(req: Request): PlanQuery | string {
  const q = req.query as Record<string, unknown>;
  const text = (name: string): string | undefined =>
    typeof q[name] === 'string' && q[name] !== '' ? (q[name] as string) : undefined;
  const page = positiveInt(q.page, 1);
  const limit = positiveInt(q.limit, DEFAULT_LIMIT);
  if (page === null) return 'page must be a positive integer';
  if (limit === null) return 'limit must be a positive integer';
  const country = text('country');
  if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) return 'country must be an ISO 3166-1 alpha-2 code';
  // Over-large limits are capped rather than refused, as most page/limit APIs do (assumed).
  return {
    country: country?.toUpperCase(),
    countryName: text('country_name'),
    region: text('region'),
    provider: text('provider'),
    search: text('search'),
    page,
    limit: Math.min(limit, MAX_LIMIT),
  };
}

export function filterPlans(plans: readonly WirePlan[], query: Omit<PlanQuery, 'page' | 'limit'>): WirePlan[] {
  const lower = (s: string) => s.toLowerCase();
  return plans.filter(
    (plan) =>
      (!query.country || plan.countries.includes(query.country)) &&
      (!query.countryName || plan.countries.some((c) => lower(countryName(c)) === lower(query.countryName!))) &&
      (!query.region || lower(plan.region_code ?? '') === lower(query.region)) &&
      (!query.provider || plan.provider_id === query.provider) &&
      (!query.search ||
        [plan.name, plan.description, plan.region_code ?? ''].some((f) => lower(f).includes(lower(query.search!)))),
  );
}

export function paginate(plans: readonly WirePlan[], page: number, limit: number) {
  return {
    success: true,
    data: plans.slice((page - 1) * limit, page * limit),
    pagination: { page, limit, total: plans.length, total_pages: Math.ceil(plans.length / limit) },
  };
}

function positiveInt(value: unknown, fallback: number): number | null {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value) || Number(value) < 1) return null;
  return Number(value);
}
