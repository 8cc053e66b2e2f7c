import express, { type Router } from 'express';
import { countryByAlpha2 } from '../../domain/countries';
import { sendError } from './errors';

/** The reseller account as `GET /reseller/profile` shows it (fields assumed). */
export interface ResellerProfile {
  reseller_id: string;
  email: string;
  company_name: string;
  country: string;
  website: string | null;
  currency: 'USD';
}

export function initialProfile(): ResellerProfile {
  return {
    reseller_id: 'rs_sandbox_0001',
    email: 'sandbox-reseller@esimtrade.example',
    company_name: 'Sandbox Reseller',
    country: 'GB',
    website: null,
    currency: 'USD',
  };
}

/** `GET|PATCH /reseller/profile`: company name, country and website are editable (seed 004). */
export function profileRoutes(profile: ResellerProfile): Router {
  const router = express.Router();
  router.get('/reseller/profile', (_req, res) => {
    res.json({ data: profile });
  });
  router.patch('/reseller/profile', (req, res) => {
    const body: Record<string, unknown> = typeof req.body === 'object' && req.body !== null ? req.body : {};
    const { company_name, country, website } = body;
    if (
      company_name !== undefined &&
      (typeof company_name !== 'string' || !company_name.trim() || company_name.length > 120)
    ) {
      sendError(res, 400, 'INVALID_PARAMETER', 'company_name must be a non-empty string of at most 120 characters.');
      return;
    }
    if (country !== undefined && (typeof country !== 'string' || country.length !== 2 || !countryByAlpha2(country))) {
      sendError(res, 400, 'INVALID_PARAMETER', 'country must be an ISO 3166-1 alpha-2 code.');
      return;
    }
    if (
      website !== undefined &&
      website !== null &&
      (typeof website !== 'string' || !/^https?:\/\/\S+$/.test(website))
    ) {
      sendError(res, 400, 'INVALID_PARAMETER', 'website must be an http(s) URL or null.');
      return;
    }
    if (typeof company_name === 'string') profile.company_name = company_name.trim();
    if (typeof country === 'string') profile.country = country.toUpperCase();
    if (website !== undefined) profile.website = website as string | null;
    res.json({ data: profile });
  });
  return router;
}
