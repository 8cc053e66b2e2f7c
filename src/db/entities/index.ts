import { AccountEntity } from './account.entity';
import { ApiKeyEntity } from './api-key.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { OrderPartEntity } from './order-part.entity';
import { OrderEntity } from './order.entity';
import { ProfileEntity } from './profile.entity';
import { TopUpEntity } from './top-up.entity';
import { WalletTransactionEntity } from './wallet-transaction.entity';
import { WalletEntity } from './wallet.entity';

export { AccountEntity, ApiKeyEntity, IdempotencyKeyEntity, OrderEntity, OrderPartEntity, ProfileEntity, TopUpEntity, WalletEntity, WalletTransactionEntity };
export const ENTITIES = [AccountEntity, ApiKeyEntity, WalletEntity, WalletTransactionEntity, OrderEntity, OrderPartEntity, ProfileEntity, TopUpEntity, IdempotencyKeyEntity];
