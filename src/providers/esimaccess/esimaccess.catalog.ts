import type { CatalogPlan } from '../../domain/plan';
import type { ProviderNotes } from '../kit/notes';
import type { EsimAccessClient } from './esimaccess.client';
import { readLocationList, type EsimAccessLocations } from './esimaccess.locations';
import { mapPackageList, needsLocations } from './esimaccess.mapper';
import type { EsimAccessPackageListRequest } from './esimaccess.types';

/** After a failed `location/list`, the catalog is read without it for this long before trying again. */
const LOCATIONS_RETRY_MS = 10 * 60_000;

/**
 * `package/list` read into plans, with region names from `location/list`. The location list is
 * read once, only when a listing has multi-country packages, and kept for the adapter's
 * lifetime: coverage areas change with the catalog's releases, not between two reads. A failed
 * `location/list` never fails the catalog: regions keep the name read from the package name,
 * and the call is tried again on a later read.
 */
export class EsimAccessCatalog {
  private locations: Promise<EsimAccessLocations> | null = null;
  private retryAt = 0;

  constructor(
    private readonly client: EsimAccessClient,
    private readonly notes: ProviderNotes,
  ) {}

  /**
   * One `package/list` call mapped to plans. Every item is what `filter.type` asked for (BASE
   * plans or the TOPUP options of a profile), whatever its code looks like.
   */
  async list(filter: EsimAccessPackageListRequest, signal?: AbortSignal): Promise<CatalogPlan[]> {
    const { packageList } = await this.client.listPackages(filter, signal);
    const locations = needsLocations(packageList) ? await this.readLocations() : null;
    const { plans, skipped, missing } = mapPackageList(packageList, locations);
    for (const { packageCode, reason } of skipped)
      this.notes.skipped(filter.type === 'TOPUP' ? 'top-up package' : 'package', packageCode, reason);
    for (const { field, fallback } of missing) this.notes.missingField(`package/list ${field}`, fallback);
    return plans;
  }

  /** The cached `location/list`, or null (said once) when it cannot be read now. */
  private async readLocations(): Promise<EsimAccessLocations | null> {
    if (!this.locations && Date.now() >= this.retryAt) {
      // Shared by every reader, so one caller's abort signal must not cancel it for the others.
      this.locations = this.client.listLocations().then(({ locationList }) => readLocationList(locationList));
    }
    if (!this.locations) return null;
    try {
      return await this.locations;
    } catch (error) {
      this.locations = null;
      this.retryAt = Date.now() + LOCATIONS_RETRY_MS;
      this.notes.missingField('location/list', 'region names read from package names', {
        error: error instanceof Error ? error.message : String(error),
      });
      return null;
    }
  }
}
