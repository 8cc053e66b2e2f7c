import { AccountEntity } from './account.entity';
import { ApiKeyEntity } from './api-key.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { OutboxEventEntity } from './outbox-event.entity';
import { OrderPartEntity } from './order-part.entity';
import { OrderEntity } from './order.entity';
import { PriceRuleEntity } from './price-rule.entity';
import { ProfileEntity } from './profile.entity';
import { SettingEntity } from './setting.entity';
import { TopUpEntity } from './top-up.entity';
import { WalletTransactionEntity } from './wallet-transaction.entity';
import { WalletEntity } from './wallet.entity';
import { WebhookInboxEntity } from './webhook-inbox.entity';

export {
  AccountEntity,
  ApiKeyEntity,
  IdempotencyKeyEntity,
  OrderEntity,
  OrderPartEntity,
  OutboxEventEntity,
  PriceRuleEntity,
  ProfileEntity,
  SettingEntity,
  TopUpEntity,
  WalletEntity,
  WalletTransactionEntity,
  WebhookInboxEntity,
};
export const ENTITIES = [
  AccountEntity,
  ApiKeyEntity,
  WalletEntity,
  WalletTransactionEntity,
  OrderEntity,
  OrderPartEntity,
  ProfileEntity,
  TopUpEntity,
  IdempotencyKeyEntity,
  WebhookInboxEntity,
  OutboxEventEntity,
  SettingEntity,
  PriceRuleEntity,
];
