import { AccountsAndWallets1732300000000 } from './1732300000000-accounts-and-wallets';

/** In order; each runs once, recorded in the `migrations` table. */
export const MIGRATIONS = [AccountsAndWallets1732300000000];
