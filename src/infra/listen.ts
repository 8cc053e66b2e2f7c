import type { Server } from 'node:net';
import { StartupError } from '../domain/startup-error';

/**
 * Listens, or fails with one line an operator can act on: a busy or forbidden port is a
 * StartupError (printed alone by `npm start`), not a stack trace from inside node's net module.
 */
export async function listen(server: Server, port: number, host: string): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new StartupError(`Port ${port} on ${host} is already in use: stop what listens there, or set PORT.`);
    if (code === 'EACCES') throw new StartupError(`Port ${port} on ${host} needs privileges: set PORT above 1023.`);
    if (code === 'EADDRNOTAVAIL') throw new StartupError(`HOST ${host} is not an address of this machine.`);
    throw error;
  }
}
