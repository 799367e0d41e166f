/**
 * Overload on a real server: past GPROXY_MAX_IN_FLIGHT a request is shed at once with 503 and a
 * Retry-After in the client's own format (not queued), the slot frees when an answer ends; bodies
 * over GPROXY_MAX_BODY_BYTES get 413 in the client's own format, scoped endpoints included.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';
import { poster } from './routing-support';

let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway(
    {
      version: 1,
      providers: [
        {
          name: 'oa',
          channel: 'openai',
          settings: { base_url: `${upstream.url}/v1` },
          credentials: [{ label: 'main', secret: { api_key: 'k-oa' } }],
        },
        { name: 'mk', channel: 'mock', settings: { latency_ms: 0 } },
      ],
      routes: [
        { name: 'slow', members: [{ provider: 'oa', model: 'gpt-up' }] },
        { name: 'quick', members: [{ provider: 'mk', model: 'mock-1' }] },
      ],
      users: [{ name: 'alice', permissions: ['*'], keys: [{ label: 'k', key: USER_KEY }] }],
    },
    { maxInFlight: 2, maxBodyBytes: 64 * 1024 },
  );
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});
beforeEach(() => upstream.reset());

const post = poster(() => gateway.url, USER_KEY);
const chatBody = (model: string, content = 'hi') => ({ model, messages: [{ role: 'user', content }] });

describe('in-flight limit', () => {
  it("sheds requests past the limit with 503 and Retry-After in the client's format", async () => {
    upstream.behave({ hang: true });
    const aborts = [new AbortController(), new AbortController()];
    const held = aborts.map((abort) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${USER_KEY}` },
        body: JSON.stringify(chatBody('slow')),
        signal: abort.signal,
      }).catch(() => undefined),
    );
    await upstream.waitFor(() => upstream.requests.length === 2);

    const openai = await post('/v1/chat/completions', chatBody('quick'));
    expect(openai.status).toBe(503);
    expect(openai.headers.get('retry-after')).toBe('1');
    expect(((await openai.json()) as { error: { code: string } }).error.code).toBe('overloaded');
    const claude = await post('/v1/messages', { ...chatBody('quick'), max_tokens: 8 });
    expect(claude.status).toBe(503);
    expect(((await claude.json()) as { error: { type: string } }).error.type).toBe('overloaded_error');
    const gemini = await post('/v1beta/models/quick:generateContent', {
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
    });
    expect(gemini.status).toBe(503);
    expect(((await gemini.json()) as { error: { status: string } }).error.status).toBe('UNAVAILABLE');
    expect(upstream.requests).toHaveLength(2);

    // Once the held requests end (the clients leave), new requests are served again.
    for (const abort of aborts) abort.abort();
    await Promise.all(held);
    const deadline = Date.now() + 5000;
    let status = 0;
    while (Date.now() < deadline) {
      const res = await post('/v1/chat/completions', chatBody('quick'));
      status = res.status;
      await res.text();
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(200);
  });

  it('counts a stream until its end, not just until its headers', async () => {
    upstream.behave({ chunkIntervalMs: 300, chunks: 3 });
    const streams = [0, 1].map(() =>
      post('/v1/chat/completions', { ...chatBody('slow'), stream: true }).then(async (res) => {
        expect(res.status).toBe(200);
        return res.text();
      }),
    );
    await upstream.waitFor(() => upstream.requests.length === 2);
    // Both streams have begun; until they end there is no room.
    expect((await post('/v1/chat/completions', chatBody('quick'))).status).toBe(503);
    for (const text of await Promise.all(streams)) expect(text).toContain('[DONE]');
    expect((await post('/v1/chat/completions', chatBody('quick'))).status).toBe(200);
  });
});

describe('body limit', () => {
  const big = 'x'.repeat(100 * 1024);

  it("answers a body over the limit with 413 in the client's own format", async () => {
    const openai = await post('/v1/chat/completions', chatBody('quick', big));
    expect(openai.status).toBe(413);
    expect(((await openai.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    const responses = await post('/v1/responses', { model: 'quick', input: big });
    expect(responses.status).toBe(413);
    expect(((await responses.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    const claude = await post('/v1/messages', { ...chatBody('quick', big), max_tokens: 8 });
    expect(claude.status).toBe(413);
    expect(await claude.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    const gemini = await post('/v1beta/models/quick:generateContent', {
      contents: [{ role: 'user', parts: [{ text: big }] }],
    });
    expect(gemini.status).toBe(413);
    expect(await gemini.json()).toMatchObject({ error: { code: 413, status: 'INVALID_ARGUMENT' } });
    const scoped = await post('/an/v1/messages', { ...chatBody('claude', big), max_tokens: 8 });
    expect(scoped.status).toBe(413);
    expect(await scoped.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    expect(upstream.requests).toHaveLength(0);
  });
});
