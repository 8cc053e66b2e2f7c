import { ProviderRateLimitedError } from '../../../src/domain/errors';
import { ArrivalWindowGate } from '../../../src/providers/esimaccess/esimaccess.rate-gate';

describe('eSIM Access arrival window gate', () => {
  let gate: ArrivalWindowGate;
  afterEach(() => gate.dispose());

  it('starts a call beyond the limit only one window after an earlier call answered', async () => {
    gate = new ArrivalWindowGate('esimaccess', 1, 60, 1000);
    const answeredAt = gate.run(() => new Promise<number>((resolve) => setTimeout(() => resolve(Date.now()), 30)));
    const startedAt = gate.run(async () => Date.now());
    // setTimeout may fire a millisecond early on some platforms.
    expect((await startedAt) - (await answeredAt)).toBeGreaterThanOrEqual(59);
  });

  it('fails RATE_LIMITED when a slot would take longer than the allowed wait', async () => {
    gate = new ArrivalWindowGate('esimaccess', 1, 200, 20);
    await gate.run(async () => undefined);
    await expect(gate.run(async () => undefined)).rejects.toBeInstanceOf(ProviderRateLimitedError);
  });

  it('stops waiting when the caller aborts', async () => {
    gate = new ArrivalWindowGate('esimaccess', 1, 200, 1000);
    await gate.run(async () => undefined);
    const controller = new AbortController();
    const waiting = gate.run(async () => 'ran', controller.signal);
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
  });
});
