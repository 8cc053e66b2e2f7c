import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { AccountEntity, WalletEntity, WalletTransactionEntity } from '../../db/entities';
import { AccountRole } from '../../domain/account';
// The class WalletTransactionType below is the WalletTransaction object; this is its `type` enum.
import { WalletTransactionType as TransactionKind } from '../../domain/wallet';
import { MoneyType, connectionOf } from './common.type';
import { DateTimeScalar, DecimalScalar } from './scalars';

@ObjectType('WalletTransaction')
export class WalletTransactionType {
  @Field(() => ID)
  id: string;

  @Field(() => TransactionKind)
  type: TransactionKind;

  @Field(() => MoneyType, { description: 'Negative for debits' })
  amount: MoneyType;

  @Field(() => MoneyType)
  balanceAfter: MoneyType;

  @Field(() => ID, { nullable: true })
  orderId: string | null;

  @Field(() => ID, { nullable: true, description: 'The top-up this movement paid or refunded' })
  topUpId: string | null;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => DateTimeScalar)
  createdAt: Date;

  static from(row: WalletTransactionEntity, currency: string): WalletTransactionType {
    return {
      id: row.id,
      type: row.type,
      amount: MoneyType.from({ amount: row.amount, currency }),
      balanceAfter: MoneyType.from({ amount: row.balanceAfter, currency }),
      orderId: row.orderId,
      topUpId: row.topUpId,
      description: row.description,
      createdAt: row.createdAt,
    };
  }
}

const transactions = connectionOf('WalletTransaction', WalletTransactionType);

@ObjectType('WalletTransactionConnection')
export class WalletTransactionConnectionType extends transactions.Connection {}

/** `transactions` is a field resolver. */
@Directive('@key(fields: "id")')
@ObjectType('Wallet', { description: "An account's prepaid balance at the gateway, debited by orders and top-ups." })
export class WalletType {
  @Field(() => ID)
  id: string;

  @Field(() => MoneyType)
  balance: MoneyType;

  @Field(() => DateTimeScalar)
  updatedAt: Date;

  static from(wallet: WalletEntity): WalletType {
    return {
      id: wallet.id,
      balance: MoneyType.from({ amount: wallet.balance, currency: wallet.currency }),
      updatedAt: wallet.updatedAt,
    };
  }
}

/** `wallet` and `apiKeys` are field resolvers. */
@Directive('@key(fields: "id")')
@ObjectType('Account')
export class AccountType {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => AccountRole)
  role: AccountRole;

  @Field(() => DecimalScalar, {
    description: 'Applied to wholesale prices to get this account\'s price, e.g. "20" for +20%',
  })
  markupPercent: string;

  @Field({ description: "True while suspended: the account's keys are refused (FORBIDDEN); nothing it owns changes" })
  suspended: boolean;

  @Field(() => DateTimeScalar)
  createdAt: Date;

  static from(account: AccountEntity): AccountType {
    return {
      id: account.id,
      name: account.name,
      role: account.role,
      markupPercent: account.markupPercent,
      suspended: Boolean(account.suspendedAt),
      createdAt: account.createdAt,
    };
  }
}

const accounts = connectionOf('Account', AccountType);

@ObjectType('AccountConnection')
export class AccountConnectionType extends accounts.Connection {}

@ObjectType('CreatedAccount')
export class CreatedAccountType {
  @Field(() => AccountType)
  account: AccountType;

  @Field({ description: 'Shown once; only a hash is stored' })
  apiKey: string;
}
