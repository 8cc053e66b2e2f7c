import express from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookDelivery } from '../../src/providers/provider-adapter';

export interface WebhookReceiver {
  /** http://127.0.0.1:<port>; deliveries are accepted at `<url>/webhooks/<any id>`. */
  readonly url: string;
  readonly deliveries: WebhookDelivery[];
  close(): Promise<void>;
}

/** A local stand-in for the gateway's `/webhooks/<id>`, keeping every delivery exactly as received and answering `status`. */
export async function startWebhookReceiver({ status = 200 }: { status?: number } = {}): Promise<WebhookReceiver> {
  const deliveries: WebhookDelivery[] = [];
  const app = express();
  app.post('/webhooks/:id', express.text({ type: () => true }), (req, res) => {
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : v]),
    );
    deliveries.push({
      headers,
      query: req.query as Record<string, string>,
      rawBody: typeof req.body === 'string' ? req.body : '',
    });
    res.status(status).json({ ok: status < 400 });
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
