import type { AccountService } from '../services/accounts/account.service';
import type { RequestLimits } from '../services/accounts/request-limits';
import type { CatalogService } from '../services/catalog/catalog.service';
import type { OrderQueries } from '../services/ordering/order-queries';
import type { OrderResolutionService } from '../services/ordering/order-resolution.service';
import type { OrderService } from '../services/ordering/order.service';
import type { PriceRuleService } from '../services/pricing/price-rule.service';
import type { ProfileService } from '../services/ordering/profile.service';
import type { QuoteService } from '../services/ordering/quote.service';
import type { TopUpService } from '../services/ordering/top-up.service';
import type { ProviderService } from '../services/providers/provider.service';
import type { SalesSummaryService } from '../services/reports/sales-summary.service';
import type { WalletService } from '../services/wallets/wallet.service';

/** The use cases resolvers may call; built once in app/. */
export interface Services {
  readonly accounts: AccountService;
  readonly requestLimits: RequestLimits;
  readonly catalog: CatalogService;
  readonly priceRules: PriceRuleService;
  readonly providers: ProviderService;
  readonly wallets: WalletService;
  readonly orders: OrderService;
  readonly quotes: QuoteService;
  readonly orderQueries: OrderQueries;
  readonly orderResolution: OrderResolutionService;
  readonly profiles: ProfileService;
  readonly topUps: TopUpService;
  readonly salesSummary: SalesSummaryService;
}
