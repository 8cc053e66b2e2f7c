import { AccountsAndWallets1732300000000 } from './1732300000000-accounts-and-wallets';
import { OrdersProfilesTopUps1732400000000 } from './1732400000000-orders-profiles-top-ups';
import { WebhooksAndPolling1732500000000 } from './1732500000000-webhooks-and-polling';
import { LedgerChecks1732600000000 } from './1732600000000-ledger-checks';
import { FailureCodesAndCancelLease1732700000000 } from './1732700000000-failure-codes-and-cancel-lease';
import { ProfileDeviceAndDelivery1732800000000 } from './1732800000000-profile-device-and-delivery';
import { OrderAttention1732900000000 } from './1732900000000-order-attention';
import { EventOutbox1733000000000 } from './1733000000000-event-outbox';
import { AccountAdmin1733100000000 } from './1733100000000-account-admin';
import { PriceRules1733200000000 } from './1733200000000-price-rules';
import { OrderFailover1733300000000 } from './1733300000000-order-failover';
import { SalesRangeIndex1733400000000 } from './1733400000000-sales-range-index';

/** In order; each runs once, recorded in the `migrations` table. */
export const MIGRATIONS = [
  AccountsAndWallets1732300000000,
  OrdersProfilesTopUps1732400000000,
  WebhooksAndPolling1732500000000,
  LedgerChecks1732600000000,
  FailureCodesAndCancelLease1732700000000,
  ProfileDeviceAndDelivery1732800000000,
  OrderAttention1732900000000,
  EventOutbox1733000000000,
  AccountAdmin1733100000000,
  PriceRules1733200000000,
  OrderFailover1733300000000,
  SalesRangeIndex1733400000000,
];
