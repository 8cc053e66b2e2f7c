import express from 'express';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Writable } from 'node:stream';
import { requestIdFrom, requestLog } from '../../../src/http/request-log';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request id', () => {
  it.each(['abc', 'A-Z_0.9', 'x'.repeat(128), '0c7f2a9e-5d1b-4f38-9b1e-2f0a8c6d4e11'])(
    'echoes the sane token %s',
    (id) => {
      expect(requestIdFrom(id)).toBe(id);
    },
  );

  it.each([
    ['an empty header', ''],
    ['an over-long token', 'x'.repeat(129)],
    ['a space', 'a b'],
    ['a newline (log forging)', 'abc\ninjected'],
    ['a slash', 'a/b'],
    ['non-ASCII', 'é'],
  ])('replaces %s with a new UUID', (_case, id) => {
    expect(requestIdFrom(id)).toMatch(UUID);
  });

  it('replaces a missing or repeated header', () => {
    expect(requestIdFrom(undefined)).toMatch(UUID);
    expect(requestIdFrom(['a', 'b'])).toMatch(UUID);
  });
});

describe('request log', () => {
  it('logs one line per request with the id it answers, without the query string; probes at debug', async () => {
    const lines: any[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const app = express();
    app.use(requestLog(pino({ level: 'info' }, sink)));
    app.get('/thing', (_req, res) => void res.status(204).end());
    app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const echoed = await fetch(`${base}/thing?token=secret`, { headers: { 'x-request-id': 'edge-42' } });
      const generated = await fetch(`${base}/thing`, { headers: { 'x-request-id': 'bad id' } });
      await fetch(`${base}/healthz`);
      expect(echoed.headers.get('x-request-id')).toBe('edge-42');
      expect(generated.headers.get('x-request-id')).toMatch(UUID);
      await new Promise((r) => setImmediate(r));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatchObject({
        msg: 'request',
        requestId: 'edge-42',
        method: 'GET',
        path: '/thing',
        status: 204,
      });
      expect(typeof lines[0].durationMs).toBe('number');
      expect(lines[1].requestId).toBe(generated.headers.get('x-request-id'));
      expect(JSON.stringify(lines)).not.toContain('secret');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
