/**
 * The added latency of the `slow` and `flaky` faults, per simulator (`owner`: its control).
 * A pending wait holds no process open, so a 60 s `slow` fault cannot keep a test run or a
 * stopping sandbox alive, and `dropFaultDelays` forgets the waits of a disposed simulator: their
 * requests are never answered (their server is closing). A wait whose caller hung up still runs
 * its request afterwards, as a slow provider may complete an order its client gave up on.
 */
const pending = new WeakMap<object, Set<NodeJS.Timeout>>();

export function faultDelay(owner: object, ms: number): Promise<void> {
  let timers = pending.get(owner);
  if (!timers) pending.set(owner, (timers = new Set()));
  const own = timers;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      own.delete(timer);
      resolve();
    }, ms);
    timer.unref();
    own.add(timer);
  });
}

export function dropFaultDelays(owner: object): void {
  for (const timer of pending.get(owner) ?? []) clearTimeout(timer);
  pending.delete(owner);
}
