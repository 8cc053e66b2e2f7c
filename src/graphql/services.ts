import type { AccountService } from '../services/accounts/account.service';
import type { CatalogService } from '../services/catalog/catalog.service';
import type { ProviderService } from '../services/providers/provider.service';
import type { WalletService } from '../services/wallets/wallet.service';

/** The use cases resolvers may call; built once in app/. */
export interface Services {
  readonly accounts: AccountService;
  readonly catalog: CatalogService;
  readonly providers: ProviderService;
  readonly wallets: WalletService;
}
