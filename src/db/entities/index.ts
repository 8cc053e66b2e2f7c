import { AccountEntity } from './account.entity';
import { ApiKeyEntity } from './api-key.entity';
import { WalletTransactionEntity } from './wallet-transaction.entity';
import { WalletEntity } from './wallet.entity';

export { AccountEntity, ApiKeyEntity, WalletEntity, WalletTransactionEntity };
export const ENTITIES = [AccountEntity, ApiKeyEntity, WalletEntity, WalletTransactionEntity];
