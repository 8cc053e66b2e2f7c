import type Keyv from 'keyv';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Services } from '../graphql/services';
import type { ProviderRegistry } from '../providers/registry';
import { createKeyedRateLimiter } from '../infra/rate-limit';
import { AccountService } from '../services/accounts/account.service';
import { RequestLimits } from '../services/accounts/request-limits';
import { CatalogService, WALLET_CURRENCY } from '../services/catalog/catalog.service';
import { PriceRules } from '../db/repositories/price-rules';
import { PriceBooks } from '../services/pricing/price-books';
import { PriceRuleService } from '../services/pricing/price-rule.service';
import type { GatewayPubSub } from '../infra/pubsub';
import { eventsThrough } from '../services/events';
import { IdempotencyService } from '../services/idempotency/idempotency.service';
import { FailoverRouter } from '../services/ordering/failover-router';
import { OrderFailover } from '../services/ordering/order-failover';
import { OrderFlow } from '../services/ordering/order-flow';
import { PlacementPlanner } from '../services/ordering/order-placement';
import { OrderQueries } from '../services/ordering/order-queries';
import { OrderResolutionService } from '../services/ordering/order-resolution.service';
import { OrderService } from '../services/ordering/order.service';
import { ProfileService } from '../services/ordering/profile.service';
import { QuoteService } from '../services/ordering/quote.service';
import { Reconciler } from '../services/ordering/reconciler';
import { TopUpService } from '../services/ordering/top-up.service';
import { ProviderService } from '../services/providers/provider.service';
import { Periodic } from '../services/periodic';
import { SalesSummaryService } from '../services/reports/sales-summary.service';
import { Outbox } from '../services/realtime/outbox';
import { Poller } from '../services/realtime/poller';
import { WebhookService } from '../services/realtime/webhook.service';
import { SettingsService } from '../services/settings/settings.service';
import { Ledger, type MovementObserver } from '../services/wallets/ledger';
import { WalletService } from '../services/wallets/wallet.service';

export interface ServiceGraph {
  readonly services: Services;
  readonly reconciler: Reconciler;
  readonly poller: Poller;
  readonly webhooks: WebhookService;
  readonly outbox: Outbox;
}

/** Builds every service once, in dependency order. */
export function createServices(
  config: Config,
  db: DataSource,
  registry: ProviderRegistry,
  cache: Keyv,
  pubsub: GatewayPubSub,
  logger: Logger,
  observers: { readonly walletMoved?: MovementObserver } = {},
): ServiceGraph {
  const outbox = new Outbox(db, pubsub, logger);
  const events = eventsThrough(outbox);
  const ledger = new Ledger(events, observers.walletMoved);
  const deps = { db, registry, events, ledger, logger };
  const idempotency = new IdempotencyService(db);
  const priceRules = new PriceRules(db);
  const books = new PriceBooks(priceRules, WALLET_CURRENCY);
  const catalog = new CatalogService(registry, cache, logger, config.catalogTtlMs, books);
  const router = new FailoverRouter(registry, catalog, config.failoverTolerancePercent, logger);
  const flow = new OrderFlow(deps, new OrderFailover(deps, router, books));
  const orderQueries = new OrderQueries(db);
  const profiles = new ProfileService(deps, orderQueries, cache, config.usageCacheTtlMs);
  const topUps = new TopUpService(deps, profiles, idempotency, cache, config.reconcile.deadlineMs);
  // Background work per provider: its own slots and deadline, so one hung provider delays only itself.
  const lanes = { concurrency: config.reconcile.concurrencyPerProvider, deadlineMs: config.reconcile.deadlineMs };
  const orderResolution = new OrderResolutionService(deps, flow, {
    afterMs: config.orderAttentionAfterMs,
    lookupDeadlineMs: config.reconcile.deadlineMs,
  });
  const wallets = new WalletService(db, idempotency, ledger);
  const accounts = new AccountService(db, cache);
  const services: Services = {
    accounts,
    requestLimits: new RequestLimits(
      config.rateLimit &&
        createKeyedRateLimiter(config.rateLimit, { redisUrl: config.redisUrl, namespace: config.cacheNamespace }),
    ),
    catalog,
    priceRules: new PriceRuleService(db, priceRules, catalog, WALLET_CURRENCY, () => accounts.forgetLogins()),
    providers: new ProviderService(registry, cache, config.balanceTtlMs, logger),
    wallets,
    orders: new OrderService(deps, idempotency, flow, new PlacementPlanner(registry, catalog, books, router)),
    quotes: new QuoteService(registry, catalog, books, wallets, router),
    orderQueries,
    orderResolution,
    profiles,
    topUps,
    salesSummary: new SalesSummaryService(db),
  };
  const webhooks = new WebhookService({
    db,
    registry,
    settings: new SettingsService(db),
    flow,
    profiles,
    logger,
    publicUrl: config.publicUrl,
    configuredSecret: config.webhookSecret,
    webhookSecrets: config.webhookSecrets,
  });
  return {
    services,
    reconciler: new Reconciler(deps, flow, topUps, idempotency, lanes, orderResolution),
    poller: new Poller(deps, profiles, { ...lanes, intervalMs: config.usagePollIntervalMs }),
    webhooks,
    outbox,
  };
}

/** How often the webhook inbox is swept for events a failed pass or a dead instance left. */
const INBOX_SWEEP_MS = 5000;
/** How often the outbox is swept for events whose writer died before publishing them. */
const OUTBOX_SWEEP_MS = 1000;
/** Registrations are renewed now and then: a provider restart (or a failed first try) forgets them. */
const REGISTER_EVERY_MS = 10 * 60_000;
/** Provider sessions are checked this often and renewed when due, so no user read waits on a login. */
const CONNECT_EVERY_MS = 15_000;

/** Starts the reconciler, the poller, the inbox and outbox sweeps and webhook registration; `stop` waits for them. */
export function startWorkers(config: Config, graph: ServiceGraph): { stop(): Promise<void> } {
  const tasks = [
    // A pass only starts work in per-provider lanes and never waits for it: a hung provider holds no pass.
    new Periodic(config.reconcileIntervalMs, async () => void (await graph.reconciler.dispatch())),
    // The poller looks for due profiles often (a quarter interval, at most every second); each profile has its own interval.
    new Periodic(
      Math.max(100, Math.min(1000, config.usagePollIntervalMs / 4)),
      async () => void (await graph.poller.dispatch()),
    ),
    new Periodic(INBOX_SWEEP_MS, () => graph.webhooks.kick()),
    new Periodic(OUTBOX_SWEEP_MS, () => graph.outbox.tick()),
    new Periodic(REGISTER_EVERY_MS, () => graph.webhooks.registerAll()),
    new Periodic(CONNECT_EVERY_MS, () => graph.services.providers.connectAll()),
  ];
  for (const task of tasks) task.start();
  return {
    stop: async () => {
      await Promise.all(tasks.map((t) => t.stop()));
      await Promise.all([graph.reconciler.stop(), graph.poller.stop()]);
      // Last: the stopped work may have published events whose rows are still to be deleted.
      await graph.outbox.flush();
    },
  };
}
