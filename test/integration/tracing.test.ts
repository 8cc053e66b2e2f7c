import 'reflect-metadata';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/app/create-app';
import { loadConfig } from '../../src/config';
import { testLogger } from '../helpers/logger';
import { ADMIN_KEY } from '../helpers/test-app';
import { waitFor } from '../helpers/ws-client';

/** Traces of GraphQL operations and their upstream calls, exported to memory instead of a collector. */
describe('tracing (OpenTelemetry)', () => {
  const exporter = new InMemorySpanExporter();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esim-gw-trace-'));
  let app: App;
  const gql = async (query: string, key = ADMIN_KEY) =>
    (
      await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-request-id': 'trace-1' },
        body: JSON.stringify({ query }),
      })
    ).json() as Promise<any>;
  const spanNamed = async (name: string): Promise<ReadableSpan> => {
    await waitFor(() => exporter.getFinishedSpans().some((s) => s.name === name));
    return exporter.getFinishedSpans().find((s) => s.name === name)!;
  };
  const childrenOf = (parent: ReadableSpan) =>
    exporter.getFinishedSpans().filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);

  beforeAll(async () => {
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      GATEWAY_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      SANDBOX_ORDER_DELAY_MS: '50',
    });
    app = await createApp(config, { logger: testLogger, host: '127.0.0.1', spanExporter: exporter });
  });
  afterAll(async () => {
    await app.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('traces an operation as a span named after it, with each upstream call as its child', async () => {
    const body = await gql('query TracedBalance { provider(id: "esimaccess") { balance { amount } } }');
    expect(body.errors).toBeUndefined();
    const operation = await spanNamed('query TracedBalance');
    expect(operation.kind).toBe(SpanKind.SERVER);
    expect(operation.attributes).toMatchObject({
      'graphql.operation.name': 'TracedBalance',
      'graphql.operation.type': 'query',
      'http.response.status_code': 200,
      'esim.request_id': 'trace-1',
    });
    expect(operation.status.code).not.toBe(SpanStatusCode.ERROR);
    const upstream = childrenOf(operation);
    expect(upstream.length).toBeGreaterThan(0);
    for (const span of upstream) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.spanContext().traceId).toBe(operation.spanContext().traceId);
      expect(span.attributes['esim.provider']).toBe('esimaccess');
      expect(span.name).toBe(`esimaccess ${span.attributes['esim.upstream.operation']}`);
    }
    expect(upstream.map((s) => s.attributes['http.response.status_code'])).toContain(200);
  });

  it('marks an operation that answered with errors, and its failed upstream attempts', async () => {
    await fetch(`${app.url}/sandbox/esimtrade/_control/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'down' }),
    });
    let body: any;
    try {
      body = await gql('query TracedDown { provider(id: "esimtrade") { balance { amount } } }');
    } finally {
      await fetch(`${app.url}/sandbox/esimtrade/_control/fault`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mode: 'ok' }),
      });
    }
    const operation = await spanNamed('query TracedDown');
    const code = body.errors[0].extensions.code;
    expect(operation.status).toEqual({ code: SpanStatusCode.ERROR, message: code });
    expect(operation.attributes['esim.graphql.error_codes']).toEqual([code]);
    const failed = childrenOf(operation).filter((s) => s.status.code === SpanStatusCode.ERROR);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].attributes['esim.provider']).toBe('esimtrade');
  });

  it('marks a request refused before any operation', async () => {
    await gql('query TracedRefused { viewer { id } }', 'not-a-key');
    await waitFor(() => exporter.getFinishedSpans().some((s) => s.attributes['http.response.status_code'] === 401));
    const refused = exporter.getFinishedSpans().find((s) => s.attributes['http.response.status_code'] === 401)!;
    expect(refused.name).toBe('POST /graphql');
    expect(refused.status).toEqual({ code: SpanStatusCode.ERROR, message: 'UNAUTHENTICATED' });
  });

  it('records upstream calls only under an operation: background work leaves no one-span traces', async () => {
    const before = exporter.getFinishedSpans().length;
    await app.registry.get('esimaccess').getBalance();
    expect(exporter.getFinishedSpans()).toHaveLength(before);
    const client = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT);
    expect(client.every((s) => s.parentSpanContext !== undefined)).toBe(true);
  });
});
