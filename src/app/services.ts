import type Keyv from 'keyv';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Services } from '../graphql/services';
import type { ProviderRegistry } from '../providers/registry';
import { AccountService } from '../services/accounts/account.service';
import { CatalogService } from '../services/catalog/catalog.service';
import type { Events } from '../services/events';
import { IdempotencyService } from '../services/idempotency/idempotency.service';
import { OrderFlow } from '../services/ordering/order-flow';
import { OrderQueries } from '../services/ordering/order-queries';
import { OrderService } from '../services/ordering/order.service';
import { ProfileService } from '../services/ordering/profile.service';
import { Reconciler } from '../services/ordering/reconciler';
import { TopUpService } from '../services/ordering/top-up.service';
import { ProviderService } from '../services/providers/provider.service';
import { WalletService } from '../services/wallets/wallet.service';

export interface ServiceGraph {
  readonly services: Services;
  readonly reconciler: Reconciler;
}

/** Builds every service once, in dependency order. */
export function createServices(config: Config, db: DataSource, registry: ProviderRegistry, cache: Keyv, events: Events, logger: Logger): ServiceGraph {
  const deps = { db, registry, events, logger };
  const idempotency = new IdempotencyService(db);
  const flow = new OrderFlow(deps);
  const orderQueries = new OrderQueries(db);
  const profiles = new ProfileService(deps, orderQueries, cache, config.usageCacheTtlMs);
  const topUps = new TopUpService(deps, profiles, idempotency, cache);
  const services: Services = {
    accounts: new AccountService(db),
    catalog: new CatalogService(registry, cache, logger, config.catalogTtlMs),
    providers: new ProviderService(registry, cache, config.balanceTtlMs),
    wallets: new WalletService(db, idempotency, events),
    orders: new OrderService(deps, idempotency, flow),
    orderQueries,
    profiles,
    topUps,
  };
  return { services, reconciler: new Reconciler(deps, flow, topUps, idempotency, config.reconcileIntervalMs) };
}
