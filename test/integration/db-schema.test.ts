import 'reflect-metadata';
import { startTestApp, type TestApp } from '../helpers/test-app';

describe('database schema', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is exactly what the entities describe once the migrations ran (no drift on this database)', async () => {
    const { upQueries } = await t.app.db.driver.createSchemaBuilder().log();
    expect(upQueries.map((q) => q.query)).toEqual([]);
  });
});
