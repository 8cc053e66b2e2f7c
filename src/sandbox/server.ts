import { Router } from 'express';
import { createComiumSimulator } from './comium';
import { createConnectedYouSimulator } from './connectedyou';
import { createEsimAccessSimulator } from './esimaccess';
import { createEsimPlatformSimulator } from './esimplatform';
import { createEsimTradeSimulator } from './esimtrade';
import { dropFaultDelays } from './shared/fault-delay';
import type { Simulator, SimulatorOptions } from './shared/simulator';

export interface Sandbox {
  /** Mount at /sandbox: serves /<providerId>/… for each simulator. */
  readonly router: Router;
  readonly simulators: readonly Simulator[];
  dispose(): void;
}

/**
 * All five simulators behind one router (embedded in `npm start`, or alone in `npm run sandbox`);
 * with `options.stateDir` each keeps its state there across restarts.
 */
export function createSandbox(options: SimulatorOptions): Sandbox {
  const simulators = [
    createEsimAccessSimulator,
    createConnectedYouSimulator,
    createComiumSimulator,
    createEsimPlatformSimulator,
    createEsimTradeSimulator,
  ].map((create) => create(options));
  const router = Router();
  for (const simulator of simulators) router.use(`/${simulator.id}`, simulator.router);
  const dispose = () =>
    simulators.forEach((s) => {
      s.dispose();
      dropFaultDelays(s.control);
    });
  return { router, simulators, dispose };
}
