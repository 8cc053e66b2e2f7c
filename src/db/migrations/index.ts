import { AccountsAndWallets1732300000000 } from './1732300000000-accounts-and-wallets';
import { OrdersProfilesTopUps1732400000000 } from './1732400000000-orders-profiles-top-ups';

/** In order; each runs once, recorded in the `migrations` table. */
export const MIGRATIONS = [AccountsAndWallets1732300000000, OrdersProfilesTopUps1732400000000];
