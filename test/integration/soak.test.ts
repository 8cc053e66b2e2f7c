import { runSoak } from '../../bench/soak';

/**
 * The mixed soak of `npm run soak` in short form (a few seconds instead of 60): orders, top-ups,
 * cancels, credits and reads at once on one wallet, one provider flaky. No client sees an
 * uncoded error, and afterwards the ledger and the upstream orders reconcile exactly.
 */
describe('mixed soak, short form', () => {
  it('keeps every invariant under concurrent money movements', async () => {
    const report = await runSoak({
      seconds: Number(process.env.SOAK_SECONDS ?? 6),
      concurrency: 8,
      databaseUrl: process.env.DATABASE_URL ?? null,
    });
    expect(report.violations).toEqual([]);
    expect(report.operations.placeOrder).toBeGreaterThan(5);
    expect(report.orders).toBeGreaterThan(0);
    expect(report.ledgerRows).toBeGreaterThan(report.orders);
  }, 120_000);
});
