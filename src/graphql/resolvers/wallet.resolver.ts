import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { WalletTransactionConnectionType, WalletTransactionType, WalletType } from '../types/account.type';
import { toConnection } from '../types/common.type';
import { CreditWalletInput } from '../types/inputs';

@Resolver(() => WalletType)
export class WalletResolver {
  @Query(() => WalletType)
  async wallet(@Ctx() ctx: Context) {
    return WalletType.from(await ctx.services.wallets.walletOf(ctx.viewer));
  }

  @Mutation(() => WalletType, { description: 'Admin only' })
  async creditWallet(@Arg('input', () => CreditWalletInput) input: CreditWalletInput, @Ctx() ctx: Context) {
    return WalletType.from(await ctx.services.wallets.creditWallet(ctx.viewer, input));
  }

  @FieldResolver(() => WalletTransactionConnectionType)
  async transactions(
    @Root() wallet: WalletType,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ) {
    const page = await ctx.services.wallets.transactions(wallet.id, first, after);
    return toConnection(page, (row) => WalletTransactionType.from(row, wallet.balance.currency));
  }
}
