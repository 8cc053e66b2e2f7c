import { registerEnumType } from 'type-graphql';

/** Enums of the contract, registered once; TypeScript string unions mirror them in domain/. */
export enum ProviderCapabilityEnum { TOP_UP = 'TOP_UP', CANCEL = 'CANCEL', SUSPEND = 'SUSPEND', RESUME = 'RESUME', REVOKE = 'REVOKE', SMS = 'SMS', USAGE = 'USAGE', WEBHOOKS = 'WEBHOOKS', DAY_PASS = 'DAY_PASS', GLOBAL_ESIM = 'GLOBAL_ESIM' }
export enum ProviderStatusEnum { UP = 'UP', DEGRADED = 'DEGRADED', DOWN = 'DOWN' }
export enum CoverageEnum { COUNTRY = 'COUNTRY', REGION = 'REGION', GLOBAL = 'GLOBAL', CRUISE = 'CRUISE' }
export enum ProfileTypeEnum { STANDARD = 'STANDARD', GLOBAL_ESIM = 'GLOBAL_ESIM' }
export enum PlanSortEnum { PRICE_ASC = 'PRICE_ASC', PRICE_DESC = 'PRICE_DESC', PRICE_PER_GB_ASC = 'PRICE_PER_GB_ASC', DATA_DESC = 'DATA_DESC', VALIDITY_DESC = 'VALIDITY_DESC' }
export enum OrderStatusEnum { PENDING = 'PENDING', PROCESSING = 'PROCESSING', COMPLETED = 'COMPLETED', FAILED = 'FAILED', CANCELLED = 'CANCELLED' }
export enum ProfileStatusEnum { NOT_INSTALLED = 'NOT_INSTALLED', INSTALLED = 'INSTALLED', ACTIVE = 'ACTIVE', SUSPENDED = 'SUSPENDED', DEPLETED = 'DEPLETED', EXPIRED = 'EXPIRED', REVOKED = 'REVOKED', CANCELLED = 'CANCELLED' }
export enum TopUpStatusEnum { PENDING = 'PENDING', COMPLETED = 'COMPLETED', FAILED = 'FAILED' }
export enum WalletTransactionTypeEnum { DEPOSIT = 'DEPOSIT', ORDER = 'ORDER', TOP_UP = 'TOP_UP', REFUND = 'REFUND', ADJUSTMENT = 'ADJUSTMENT' }
export enum AccountRoleEnum { ADMIN = 'ADMIN', RESELLER = 'RESELLER' }
export enum DeviceStateEnum { RELEASED = 'RELEASED', DOWNLOADED = 'DOWNLOADED', INSTALLED = 'INSTALLED', ENABLED = 'ENABLED', DISABLED = 'DISABLED', DELETED = 'DELETED' }
export enum CustomerFieldEnum { EMAIL = 'EMAIL', NAME = 'NAME' }
export enum OrderResolutionEnum { REFUND = 'REFUND', RETRY_LOOKUP = 'RETRY_LOOKUP' }
export enum FailureCodeEnum { PROVIDER_REFUSED = 'PROVIDER_REFUSED', PROVIDER_FAILED = 'PROVIDER_FAILED', PROVIDER_UNAVAILABLE = 'PROVIDER_UNAVAILABLE' }

registerEnumType(ProviderCapabilityEnum, { name: 'ProviderCapability' });
registerEnumType(ProviderStatusEnum, { name: 'ProviderStatus' });
registerEnumType(CoverageEnum, { name: 'Coverage' });
registerEnumType(ProfileTypeEnum, { name: 'ProfileType' });
registerEnumType(PlanSortEnum, { name: 'PlanSort' });
registerEnumType(OrderStatusEnum, { name: 'OrderStatus' });
registerEnumType(ProfileStatusEnum, { name: 'ProfileStatus' });
registerEnumType(TopUpStatusEnum, { name: 'TopUpStatus' });
registerEnumType(WalletTransactionTypeEnum, { name: 'WalletTransactionType' });
registerEnumType(AccountRoleEnum, { name: 'AccountRole' });
registerEnumType(DeviceStateEnum, {
  name: 'DeviceState',
  description: "What the device did with the profile (apart from the plan's ProfileStatus): released for download, downloaded, installed, enabled, disabled, deleted.",
});
registerEnumType(CustomerFieldEnum, { name: 'CustomerField', description: 'Customer details an order can need: the provider delivers the eSIM to the customer itself.' });
registerEnumType(FailureCodeEnum, {
  name: 'FailureCode',
  description: 'Why an order or top-up failed (it was refunded). Clients should treat an unknown future value like PROVIDER_FAILED.',
  valuesConfig: {
    PROVIDER_REFUSED: { description: 'The provider refused the request outright (for example its own stock, balance or plan rules).' },
    PROVIDER_FAILED: { description: 'The provider accepted the request, then reported that it failed.' },
    PROVIDER_UNAVAILABLE: { description: 'The provider gave no final answer in time; the gateway gave up and refunded.' },
  },
});
registerEnumType(OrderResolutionEnum, {
  name: 'OrderResolution',
  description: 'How an admin settles an order the provider left unsettled.',
  valuesConfig: {
    REFUND: { description: 'Fail what was not delivered and refund it, once however often asked (failureCode PROVIDER_UNAVAILABLE).' },
    RETRY_LOOKUP: { description: 'Ask the provider about the order now, and answer it as it then is.' },
  },
});
