import { registerEnumType } from 'type-graphql';
import { AccountRole } from '../../domain/account';
import { CustomerField, DeviceState } from '../../domain/device';
import { FailureCode } from '../../domain/failure';
import { FailoverReason, OrderFallback } from '../../domain/order-fallback';
import { OrderResolution, OrderStatus, TopUpStatus } from '../../domain/order-status';
import { Coverage, PlanSort, ProfileType } from '../../domain/plan';
import { ProfileStatus } from '../../domain/profile-status';
import { ProviderCapability, ProviderStatus } from '../../domain/provider';
import { SalesGroupBy } from '../../domain/sales-report';
import { WalletTransactionType } from '../../domain/wallet';

/**
 * The contract's enums, registered once (imported by schema.ts before the schema is built). Each
 * vocabulary is defined once, as a const object in domain/; fields name that object, e.g.
 * `@Field(() => OrderStatus)`.
 */
registerEnumType(ProviderCapability, { name: 'ProviderCapability' });
registerEnumType(ProviderStatus, { name: 'ProviderStatus' });
registerEnumType(Coverage, { name: 'Coverage' });
registerEnumType(ProfileType, { name: 'ProfileType' });
registerEnumType(PlanSort, { name: 'PlanSort' });
registerEnumType(OrderStatus, { name: 'OrderStatus' });
registerEnumType(ProfileStatus, { name: 'ProfileStatus' });
registerEnumType(TopUpStatus, { name: 'TopUpStatus' });
registerEnumType(WalletTransactionType, { name: 'WalletTransactionType' });
registerEnumType(AccountRole, { name: 'AccountRole' });
registerEnumType(DeviceState, {
  name: 'DeviceState',
  description:
    "What the device did with the profile (apart from the plan's ProfileStatus): released for download, downloaded, installed, enabled, disabled, deleted.",
});
registerEnumType(CustomerField, {
  name: 'CustomerField',
  description: 'Customer details an order can need: the provider delivers the eSIM to the customer itself.',
});
registerEnumType(FailureCode, {
  name: 'FailureCode',
  description:
    'Why an order or top-up failed (it was refunded). Clients should treat an unknown future value like PROVIDER_FAILED.',
  valuesConfig: {
    PROVIDER_REFUSED: {
      description: 'The provider refused the request outright (for example its own stock, balance or plan rules).',
    },
    PROVIDER_FAILED: { description: 'The provider accepted the request, then reported that it failed.' },
    PROVIDER_UNAVAILABLE: {
      description: 'The provider gave no final answer in time; the gateway gave up and refunded.',
    },
  },
});
registerEnumType(OrderResolution, {
  name: 'OrderResolution',
  description: 'How an admin settles an order the provider left unsettled.',
  valuesConfig: {
    REFUND: {
      description:
        'Fail what was not delivered and refund it, once however often asked (failureCode PROVIDER_UNAVAILABLE).',
    },
    RETRY_LOOKUP: { description: 'Ask the provider about the order now, and answer it as it then is.' },
  },
});
registerEnumType(SalesGroupBy, {
  name: 'SalesGroupBy',
  description: 'What salesSummary rows are grouped by.',
  valuesConfig: {
    DAY: { description: 'The UTC day the order was placed, key YYYY-MM-DD.' },
    PROVIDER: { description: 'The provider id.' },
    COUNTRY: { description: 'The ISO 3166-1 alpha-2 code of a one-country plan; MULTI for plans covering several.' },
    ACCOUNT: { description: 'The reseller account id.' },
  },
});
registerEnumType(OrderFallback, {
  name: 'OrderFallback',
  description: 'What an order may do when its chosen plan cannot be served.',
  valuesConfig: {
    NONE: { description: 'Nothing: the order fails as the chosen plan does.' },
    EQUIVALENT: {
      description:
        'Route to the best equivalent plan at another provider: at least the same countries, data and validity, at most FAILOVER_TOLERANCE_PERCENT dearer for this account, its provider healthy; the cheapest, then more data, longer validity, lower id.',
    },
  },
});
registerEnumType(FailoverReason, {
  name: 'FailoverReason',
  description:
    'Why an order placed with fallback EQUIVALENT went to another provider; nothing was ordered from the first.',
  valuesConfig: {
    PROVIDER_UNAVAILABLE: { description: 'The provider could not be reached, and nothing had been sent to it.' },
    PROVIDER_REFUSED: { description: 'The provider refused the order outright (out of stock, for instance).' },
    PLAN_UNAVAILABLE: { description: 'The provider no longer offers the plan.' },
  },
});
