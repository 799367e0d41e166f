/**
 * GPROXY_TOTAL_TIMEOUT_MS bounds a whole upstream exchange: an upstream that keeps trickling past
 * it is cut, the client gets an error in its own format, and the usage record says `timeout`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';
import { serveConfig } from '../../src/runtime/node/config';
import { openAiProvider } from '../support/bundles';

let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  const defaults = serveConfig({}, {}).timeouts;
  gateway = await startTestGateway(
    {
      version: 1,
      providers: [openAiProvider(upstream.url)],
      routes: [{ name: 'slow', members: [{ provider: 'oa', model: 'gpt-up' }] }],
      users: [{ name: 'alice', permissions: ['*'], keys: [{ label: 'k', key: USER_KEY }] }],
    },
    { timeouts: { ...defaults, totalMs: 400 } },
  );
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});
beforeEach(() => upstream.reset());

function chat(stream: boolean): Promise<Response> {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${USER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'slow', stream, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

describe('total upstream timeout', () => {
  it('the config reads GPROXY_TOTAL_TIMEOUT_MS, with 0 turning the bound off', () => {
    expect(serveConfig({}, {}).timeouts.totalMs).toBe(900_000);
    expect(serveConfig({}, { GPROXY_TOTAL_TIMEOUT_MS: '5000' }).timeouts.totalMs).toBe(5000);
    expect(serveConfig({}, { GPROXY_TOTAL_TIMEOUT_MS: '0' }).timeouts.totalMs).toBeUndefined();
    expect(() => serveConfig({}, { GPROXY_TOTAL_TIMEOUT_MS: '-1' })).toThrow(/GPROXY_TOTAL_TIMEOUT_MS/);
  });

  it('cuts a stream that is still trickling at the bound and ends it with an error event', async () => {
    upstream.behave({ chunkIntervalMs: 150, chunks: 20 });
    const res = await chat(true);
    expect(res.status).toBe(200);
    const text = await res.text();
    // Some content arrived before the cut, then an error in the OpenAI stream format.
    expect(text).toContain('"delta"');
    expect(text).toMatch(/"error":\{[^}]*"message":"[^"]*time/i);
    expect(text).not.toContain('[DONE]');
  });

  it('answers a whole-body request that outlives the bound with 504 in the client format', async () => {
    upstream.behave({ delayMs: 1500 });
    const res = await chat(false);
    expect(res.status).toBe(504);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('upstream_timeout');
  });
});
