import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { AccountType, CreatedAccountType, WalletType } from '../types/account.type';
import { CreateAccountInput } from '../types/inputs';

@Resolver(() => AccountType)
export class AccountResolver {
  @Query(() => AccountType, { description: 'The calling account' })
  async viewer(@Ctx() ctx: Context) {
    return AccountType.from(await ctx.services.accounts.getAccount(ctx.viewer, ctx.viewer.accountId));
  }

  @Mutation(() => CreatedAccountType, { description: 'Admin only' })
  async createAccount(@Arg('input', () => CreateAccountInput) input: CreateAccountInput, @Ctx() ctx: Context) {
    const { account, apiKey } = await ctx.services.accounts.createAccount(ctx.viewer, input);
    return { account: AccountType.from(account), apiKey };
  }

  @FieldResolver(() => WalletType)
  async wallet(@Root() account: AccountType, @Ctx() ctx: Context) {
    return WalletType.from(await ctx.services.wallets.walletOf(ctx.viewer, account.id));
  }
}
