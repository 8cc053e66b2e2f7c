import { ProviderLanes } from '../../../src/services/per-provider';
import { testLogger } from '../../helpers/logger';

/** A task that runs until released, or until its signal aborts when it honours it. */
function hanging(honourSignal: boolean) {
  let release = () => undefined as void;
  const calls: AbortSignal[] = [];
  const task = (signal: AbortSignal) => {
    calls.push(signal);
    return new Promise<void>((resolve, reject) => {
      release = resolve;
      if (honourSignal) signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  };
  return { task, calls, release: () => release() };
}

describe('ProviderLanes', () => {
  it('refuses a task once the provider has its limit in flight, while other providers still start', async () => {
    const lanes = new ProviderLanes({ concurrency: 2, deadlineMs: 60_000 }, testLogger, 'test');
    const hung = hanging(true);
    expect(lanes.run('esimaccess', hung.task)).not.toBeNull();
    expect(lanes.run('esimaccess', hung.task)).not.toBeNull();
    expect(lanes.free('esimaccess')).toBe(0);
    expect(lanes.run('esimaccess', hung.task)).toBeNull();
    expect(hung.calls).toHaveLength(2);

    let comiumRan = false;
    await lanes.run('comium', async () => {
      comiumRan = true;
    });
    expect(comiumRan).toBe(true);
    expect(lanes.free('comium')).toBe(2);
    await lanes.stop();
  });

  it('frees a slot when its task settles', async () => {
    const lanes = new ProviderLanes({ concurrency: 1, deadlineMs: 60_000 }, testLogger, 'test');
    const hung = hanging(false);
    const slot = lanes.run('comium', hung.task);
    expect(lanes.free('comium')).toBe(0);
    hung.release();
    await slot;
    expect(lanes.free('comium')).toBe(1);
    await lanes.stop();
  });

  it('aborts a task at its deadline and frees its slot even when the task ignores the signal', async () => {
    const lanes = new ProviderLanes({ concurrency: 1, deadlineMs: 150 }, testLogger, 'test');
    const deaf = hanging(false);
    const started = Date.now();
    const slot = lanes.run('esimaccess', deaf.task);
    expect(lanes.run('esimaccess', deaf.task)).toBeNull();
    await slot;
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(deaf.calls[0].aborted).toBe(true);
    expect(lanes.free('esimaccess')).toBe(1);
    deaf.release();
    await lanes.stop();
  });

  it('does not let a failing task reject its slot', async () => {
    const lanes = new ProviderLanes({ concurrency: 1, deadlineMs: 60_000 }, testLogger, 'test');
    await expect(lanes.run('comium', async () => Promise.reject(new Error('db gone')))).resolves.toBeUndefined();
    expect(lanes.free('comium')).toBe(1);
    await lanes.stop();
  });

  it('on stop aborts running tasks, waits for them to finish and refuses new ones', async () => {
    const lanes = new ProviderLanes({ concurrency: 4, deadlineMs: 60_000 }, testLogger, 'test');
    let wrote = false;
    lanes.run('esimaccess', async (signal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      await new Promise((resolve) => setTimeout(resolve, 50)); // records what it learned after the abort
      wrote = true;
    });
    await lanes.stop();
    expect(wrote).toBe(true);
    expect(lanes.run('comium', async () => undefined)).toBeNull();
  });
});
