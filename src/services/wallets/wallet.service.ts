import type { DataSource } from 'typeorm';
import type { Viewer } from '../../domain/account';
import { decodeCursor, encodeCursor, pageSize } from '../../domain/cursor';
import { BadUserInputError, NotFoundError } from '../../domain/errors';
import { WalletEntity, WalletTransactionEntity } from '../../db/entities';

export interface TransactionPage {
  readonly edges: readonly { readonly cursor: string; readonly node: WalletTransactionEntity }[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
  readonly totalCount: number;
}

/** Wallet reads. Movements (the ledger writes) belong to the ordering flow. */
export class WalletService {
  constructor(private readonly db: DataSource) {}

  /** The caller's wallet, or (admins only) another account's. */
  async walletOf(viewer: Viewer, accountId = viewer.accountId): Promise<WalletEntity> {
    if (viewer.role !== 'ADMIN' && accountId !== viewer.accountId) throw new NotFoundError('Wallet');
    const wallet = await this.db.getRepository(WalletEntity).findOneBy({ accountId });
    if (!wallet) throw new NotFoundError('Wallet');
    return wallet;
  }

  /** Newest first; keyset cursor on (createdAt, id). */
  async transactions(walletId: string, first?: number | null, after?: string | null): Promise<TransactionPage> {
    const size = pageSize(first);
    const qb = this.db.getRepository(WalletTransactionEntity).createQueryBuilder('t').where('t.wallet_id = :walletId', { walletId });
    const totalCount = await qb.clone().getCount();
    if (after) {
      const [at, id] = decodeCursor('wallet-tx', after);
      if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at))) throw new BadUserInputError('The cursor is not valid.', 'after');
      qb.andWhere('(t.created_at < :at OR (t.created_at = :at AND t.id < :id))', { at: new Date(at), id });
    }
    const rows = await qb.orderBy('t.created_at', 'DESC').addOrderBy('t.id', 'DESC').take(size + 1).getMany();
    const edges = rows.slice(0, size).map((node) => ({ cursor: encodeCursor('wallet-tx', [node.createdAt.toISOString(), node.id]), node }));
    return { edges, hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null, totalCount };
  }
}
