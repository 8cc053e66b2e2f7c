import { MAX_STOCK_LIMITS, SimulatorControl } from '../../../src/sandbox/shared/control';
import { SimInventory, type SimPlanTerms } from '../../../src/sandbox/shared/inventory';

const PLAN: SimPlanTerms = { code: 'P-1GB', price: '2.50', dataBytes: 1_000_000, validityDays: 7 };
const OTHER: SimPlanTerms = { ...PLAN, code: 'P-2GB' };

/** `_control/stock` as the inventory applies it: eSIMs left per plan, or for every plan. */
describe('SimInventory stock limits', () => {
  let control: SimulatorControl;
  let inventory: SimInventory;
  let key = 0;
  const order = (plan: SimPlanTerms, quantity = 1) => inventory.placeOrder({ key: `k-${++key}`, plan, quantity });

  beforeEach(() => {
    control = new SimulatorControl({ initialBalance: '1000.00', flakyResponse: () => undefined });
    inventory = new SimInventory({
      control,
      orderDelayMs: 0,
      iccidPrefix: '8999000',
      smdpAddress: 's',
      orderId: String,
    });
  });
  afterEach(() => inventory.dispose());

  it('sells what is left of a plan, then answers OUT_OF_STOCK without charging; null restores plenty', () => {
    expect(control.onStock(PLAN.code, 2)).toBe(true);
    expect(order(PLAN, 3)).toEqual({ ok: false, error: 'OUT_OF_STOCK' });
    expect(order(PLAN, 2).ok).toBe(true);
    expect(order(PLAN)).toEqual({ ok: false, error: 'OUT_OF_STOCK' });
    expect(Number(control.balance)).toBe(995);
    expect(order(OTHER).ok).toBe(true);
    control.onStock(PLAN.code, null);
    expect(order(PLAN).ok).toBe(true);
  });

  it('a limit without a plan code covers every plan', () => {
    control.onStock(null, 0);
    expect(order(PLAN)).toEqual({ ok: false, error: 'OUT_OF_STOCK' });
    expect(order(OTHER)).toEqual({ ok: false, error: 'OUT_OF_STOCK' });
    control.onStock(null, null);
    expect(order(OTHER).ok).toBe(true);
  });

  it('keeps at most MAX_STOCK_LIMITS limits: the control API has no key, so its memory is bounded', () => {
    for (let i = 0; i < MAX_STOCK_LIMITS; i++) expect(control.onStock(`code-${i}`, 1)).toBe(true);
    expect(control.onStock('one-too-many', 1)).toBe(false);
    expect(control.onStock('code-0', 5)).toBe(true);
    control.onStock('code-1', null);
    expect(control.onStock('one-too-many', 1)).toBe(true);
  });
});
