import pino from 'pino';
import { ConnectedYouAdapter } from '../../../src/providers/connectedyou/connectedyou.adapter';
import type { ConnectedYouClient } from '../../../src/providers/connectedyou/connectedyou.client';
import order from '../../fixtures/providers/connectedyou/order.json';

/** The adapter over a stub client, with its warnings captured. */
function adapterAnswering(orders: Partial<ConnectedYouClient['orders']>) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { adapter: new ConnectedYouAdapter({ orders } as unknown as ConnectedYouClient, logger), lines };
}

const esim = order.esims[0];
const ref = { iccid: esim.iccid, providerProfileId: esim.iccid };

describe('connectedyou adapter (stubbed client)', () => {
  it('answers null status for an unknown eSIM word and says the word once', async () => {
    const { adapter, lines } = adapterAnswering({ getEsim: async () => ({ ...esim, status: 'SWAPPED' }) });
    const [profile] = await adapter.getProfiles([ref]);
    await adapter.getProfiles([ref]);
    expect(profile).toMatchObject({ rawStatus: 'SWAPPED', status: null });
    expect(lines).toEqual([expect.objectContaining({ provider: 'connectedyou', iccid: esim.iccid, word: 'SWAPPED' })]);
  });

  it('logs an unknown order word and reads the order as PROCESSING', async () => {
    const { adapter, lines } = adapterAnswering({ findOrder: async () => ({ ...order, status: 'ON_HOLD' }) });
    const found = await adapter.getOrder({ reference: order.reference, providerOrderId: null, placedAt: new Date() });
    expect(found?.status).toBe('PROCESSING');
    expect(lines.map((l) => l.word)).toEqual(['ON_HOLD']);
  });

  it('never adopts an order answered for another reference', async () => {
    const { adapter } = adapterAnswering({ getOrder: async () => order });
    expect(
      await adapter.getOrder({ reference: 'someone-else', providerOrderId: order.order_id, placedAt: new Date() }),
    ).toBeNull();
  });

  it('reads an eSIM without its undocumented fields, saying each missing field once', async () => {
    const { adapter, lines } = adapterAnswering({ getEsim: async () => ({ iccid: esim.iccid }) });
    const [profile] = await adapter.getProfiles([ref]);
    await adapter.getProfiles([ref]);
    expect(profile).toMatchObject({
      iccid: esim.iccid,
      status: null,
      smdpAddress: null,
      matchingId: null,
      device: null,
    });
    expect(lines.map((l) => l.field).sort()).toEqual([
      'esim.profile_status',
      'esim.smdp_address/matching_id',
      'esim.status',
    ]);
  });

  it('treats an eSIM body that is not an object as an unavailable provider, not as unknown', async () => {
    const { adapter } = adapterAnswering({ getEsim: async () => 'oops' });
    await expect(adapter.getProfiles([ref])).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
  });

  it('adopts an order answered without a reference: it is the one we asked for', async () => {
    const { adapter } = adapterAnswering({ getOrder: async () => ({ ...order, reference: undefined }) });
    expect(
      await adapter.getOrder({ reference: order.reference, providerOrderId: order.order_id, placedAt: new Date() }),
    ).toMatchObject({ providerOrderId: order.order_id });
  });

  it('reads each ICCID once, answering in the order asked', async () => {
    const asked: string[] = [];
    const { adapter } = adapterAnswering({
      getEsim: async (iccid: string) => (asked.push(iccid), iccid === esim.iccid ? esim : null),
    });
    const other = { iccid: '8944500000000000000', providerProfileId: '8944500000000000000' };
    const read = await adapter.getProfiles([ref, other, ref]);
    expect(read.map((p) => p?.iccid ?? null)).toEqual([esim.iccid, null, esim.iccid]);
    expect(asked).toEqual([esim.iccid, other.iccid]);
  });
});
