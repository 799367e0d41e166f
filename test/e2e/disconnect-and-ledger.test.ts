/**
 * A client that leaves mid-stream aborts the upstream request; every authenticated request leaves
 * exactly one usage record, written when the gateway stops.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { fakeUpstreamBundle, startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';

let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway(fakeUpstreamBundle(upstream.url));
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});

describe('client disconnect', () => {
  it('aborts the upstream stream when the client goes away mid-stream', async () => {
    upstream.behave({ chunkIntervalMs: 100, chunks: 50 });
    const body = JSON.stringify({
      model: 'fast',
      stream: true,
      messages: [{ role: 'user', content: 'long' }],
    });
    await new Promise<void>((resolve, reject) => {
      const req = request(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${USER_KEY}` },
      });
      req.on('response', (res) => {
        res.once('data', () => {
          // First chunk arrived: the stream is flowing. Leave.
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error) => {
        if (!req.destroyed) reject(error);
      });
      req.end(body);
    });
    await upstream.waitFor(() => upstream.aborts >= 1, 5000);
    expect(upstream.aborts).toBe(1);
  });
});

describe('usage ledger', () => {
  it('writes one record per request with tokens, route and end state', async () => {
    upstream.behave({ chunkIntervalMs: 0 });
    const ok = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${USER_KEY}` },
      body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(ok.status).toBe(200);
    const okId = ok.headers.get('x-gproxy-request-id');
    await ok.arrayBuffer();

    const missing = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${USER_KEY}` },
      body: JSON.stringify({ model: 'nope', messages: [] }),
    });
    expect(missing.status).toBe(404);
    const missingId = missing.headers.get('x-gproxy-request-id');

    await gateway.stop();
    const rows = gateway.usageRows();
    const byId = new Map(rows.map((r) => [r['request_id'], r]));
    const done = byId.get(okId);
    expect(done).toMatchObject({
      route_name: 'gpt-fast',
      provider_name: 'oa',
      upstream_model: 'gpt-4o-mini',
      status: 200,
      end_state: 'complete',
      usage_source: 'upstream-reported',
    });
    expect(Number(done?.['input_tokens'])).toBeGreaterThan(0);
    expect(Number(done?.['output_tokens'])).toBeGreaterThan(0);
    expect(byId.get(missingId)).toMatchObject({
      status: 404,
      error_code: 'model_not_found',
      end_state: 'rejected',
    });
    const aborted = rows.find((r) => r['end_state'] === 'client-aborted');
    expect(aborted).toMatchObject({ stream: expect.anything(), route_name: 'gpt-fast' });
    expect(rows).toHaveLength(3);
  });
});
