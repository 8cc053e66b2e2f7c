import { PROVIDER_CAPABILITIES, type ProviderCapability } from '../domain/provider';
import type { CatalogFeature, ProviderAdapter } from './provider-adapter';

const CATALOG_FEATURES: readonly ProviderCapability[] = ['DAY_PASS', 'GLOBAL_ESIM'] satisfies CatalogFeature[];

function isCatalogFeature(capability: ProviderCapability): capability is CatalogFeature {
  return CATALOG_FEATURES.includes(capability);
}

/**
 * What an adapter can do, in the contract's order, derived from what it declares: its groups in
 * `supports`, USAGE (`getUsage` is part of the port) and its catalog `features`. Indexing
 * `supports` with what is left keeps this exhaustive: a new capability that is neither a group
 * nor a feature fails to type-check here.
 */
export function capabilitiesOf(adapter: ProviderAdapter): ProviderCapability[] {
  return PROVIDER_CAPABILITIES.filter(
    (capability) =>
      capability === 'USAGE' ||
      (isCatalogFeature(capability) ? adapter.features.has(capability) : adapter.supports[capability] !== undefined),
  );
}
