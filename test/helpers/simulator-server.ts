import express from 'express';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { Simulator } from '../../src/sandbox/shared/simulator';

export interface RunningSimulator {
  /** http://127.0.0.1:<port>/sandbox/<id> */
  readonly root: string;
  readonly server: Server;
  control(path: string, body?: unknown): Promise<any>;
  stats(): Promise<{ requests: Record<string, number>; total: number; peakPerSecond: number }>;
  close(): Promise<void>;
}

/** Serves one simulator over real HTTP on an ephemeral port, as `/sandbox/<id>`. */
export async function startSimulator(simulator: Simulator): Promise<RunningSimulator> {
  const app = express();
  app.use(`/sandbox/${simulator.id}`, simulator.router);
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sandbox/${simulator.id}`;
  const control = async (path: string, body?: unknown): Promise<any> => {
    const res = await fetch(
      `${root}/_control/${path}`,
      body === undefined && path === 'stats'
        ? {}
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) },
    );
    return res.json();
  };
  return {
    root,
    server,
    control,
    stats: () => control('stats'),
    close: async () => {
      simulator.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
