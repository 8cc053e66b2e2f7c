import type { DataSource } from 'typeorm';
import { requireAdmin, type Viewer } from '../../domain/account';
import { parseSalesRange, type SalesGroupBy } from '../../domain/sales-report';
import { salesSubtotals } from '../../db/repositories/sales-summary';
import { foldSales, type SalesSummary } from './sales-rows';

/** Back-office sales figures (admins only), summed by the database from the ledger. */
export class SalesSummaryService {
  constructor(private readonly db: DataSource) {}

  async summarize(viewer: Viewer, from: Date, to: Date, groupBy: SalesGroupBy): Promise<SalesSummary> {
    requireAdmin(viewer);
    const range = parseSalesRange(from, to);
    return foldSales(await salesSubtotals(this.db, groupBy, range));
  }
}
