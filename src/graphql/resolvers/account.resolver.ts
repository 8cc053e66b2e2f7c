import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { AccountConnectionType, AccountType, CreatedAccountType, WalletType } from '../types/account.type';
import { ApiKeyType, CreatedApiKeyType } from '../types/api-key.type';
import { toConnection } from '../types/common.type';
import { CreateAccountInput, UpdateAccountInput } from '../types/inputs';
import { PriceRuleType } from '../types/price-rule.type';

@ArgsType()
class AccountsArgs {
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => String, { nullable: true, description: 'Case-insensitive part of the name' }) search?: string | null;
}

@Resolver(() => AccountType)
export class AccountResolver {
  @Query(() => AccountType, { description: 'The calling account' })
  async viewer(@Ctx() ctx: Context) {
    return AccountType.from(await ctx.services.accounts.getAccount(ctx.viewer, ctx.viewer.accountId));
  }

  @Query(() => AccountConnectionType, { description: 'Admin only. Newest first' })
  async accounts(@Args() { first, after, search }: AccountsArgs, @Ctx() ctx: Context) {
    const page = await ctx.services.accounts.listAccounts(ctx.viewer, search, first, after);
    return toConnection(page, AccountType.from);
  }

  @Query(() => AccountType, { nullable: true, description: 'Admins any account, a reseller its own' })
  async account(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return AccountType.from(await ctx.services.accounts.getAccount(ctx.viewer, id));
  }

  @Mutation(() => CreatedAccountType, { description: 'Admin only' })
  async createAccount(@Arg('input', () => CreateAccountInput) input: CreateAccountInput, @Ctx() ctx: Context) {
    const { account, apiKey } = await ctx.services.accounts.createAccount(ctx.viewer, input);
    return { account: AccountType.from(account), apiKey };
  }

  @Mutation(() => AccountType, { description: 'Admin only. A new markup applies to the next request' })
  async updateAccount(@Arg('input', () => UpdateAccountInput) input: UpdateAccountInput, @Ctx() ctx: Context) {
    return AccountType.from(await ctx.services.accounts.updateAccount(ctx.viewer, input));
  }

  @Mutation(() => CreatedApiKeyType, { description: 'Admins for any account, a reseller for its own' })
  async createApiKey(@Arg('accountId', () => ID) accountId: string, @Ctx() ctx: Context) {
    const { key, apiKey } = await ctx.services.accounts.createApiKey(ctx.viewer, accountId);
    return { key: ApiKeyType.from(key), apiKey };
  }

  @Mutation(() => ApiKeyType, {
    description: "Admins any key, a reseller its own. Refused for the last live key of the caller's own account",
  })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ApiKeyType.from(await ctx.services.accounts.revokeApiKey(ctx.viewer, id));
  }

  @FieldResolver(() => WalletType)
  async wallet(@Root() account: AccountType, @Ctx() ctx: Context) {
    return WalletType.from(await ctx.services.wallets.walletOf(ctx.viewer, account.id));
  }

  @FieldResolver(() => [PriceRuleType], {
    nullable: true,
    description: "Admin only (the operator's pricing; a reseller sees its prices on plans). Least recently set first",
  })
  async priceRules(@Root() account: AccountType, @Ctx() ctx: Context) {
    return (await ctx.services.priceRules.ofAccount(ctx.viewer, account.id)).map(PriceRuleType.from);
  }

  @FieldResolver(() => [ApiKeyType], { description: 'Oldest first, revoked keys included' })
  async apiKeys(@Root() account: AccountType, @Ctx() ctx: Context) {
    return (await ctx.loaders.apiKeysOfAccount.load(account.id)).map(ApiKeyType.from);
  }
}
