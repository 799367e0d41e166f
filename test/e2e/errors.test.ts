/**
 * Bad input and upstream failures get a clear error in the caller's own wire format, with a stable
 * code and the request id, never a crash.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { fakeUpstreamBundle, startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';

let upstream: FakeUpstream;
let gateway: TestGateway;
let closedPort: number;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  upstream = await startFakeUpstream();
  closedPort = await freePort();
  const bundle = fakeUpstreamBundle(upstream.url) as { providers: unknown[]; routes: unknown[] };
  bundle.providers.push({
    name: 'dead',
    channel: 'openai',
    settings: { base_url: `http://127.0.0.1:${closedPort}/v1` },
    credentials: [{ label: 'main', secret: { api_key: 'sk-dead' } }],
  });
  bundle.routes.push({ name: 'dead-route', members: [{ provider: 'dead', model: 'gpt-4o-mini' }] });
  gateway = await startTestGateway(bundle, {
    maxBodyBytes: 64 * 1024,
    timeouts: { connectMs: 2000, firstByteMs: 400, idleMs: 400 },
  });
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});
beforeEach(() => upstream.reset());

function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${USER_KEY}`, ...headers },
    body,
  });
}

const chatBody = (model: string): string =>
  JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] });

type OpenAiError = { error: { message: string; type: string; code: string } };
type ClaudeError = { type: string; error: { type: string; message: string } };
type GeminiError = { error: { code: number; message: string; status: string } };

describe('authentication', () => {
  it('answers a bad key with 401 in each wire format', async () => {
    const openai = await post('/v1/chat/completions', chatBody('fast'), {
      authorization: 'Bearer sk-gp-wrong',
    });
    expect(openai.status).toBe(401);
    expect(openai.headers.get('x-gproxy-request-id')).toMatch(/^req_/);
    const openaiBody = (await openai.json()) as OpenAiError;
    expect(openaiBody.error.code).toBe('unauthenticated');
    expect(openaiBody.error.message).toMatch(/Invalid API key/);

    const claude = await post('/v1/messages', chatBody('claude-fast'), {
      authorization: '',
      'x-api-key': 'nope',
    });
    expect(claude.status).toBe(401);
    const claudeBody = (await claude.json()) as ClaudeError;
    expect(claudeBody.type).toBe('error');
    expect(claudeBody.error.type).toBe('authentication_error');

    const gemini = await post('/v1beta/models/gemini-fast:generateContent', '{}', { authorization: '' });
    expect(gemini.status).toBe(401);
    expect(((await gemini.json()) as GeminiError).error.status).toBe('UNAUTHENTICATED');
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('bad requests', () => {
  it('answers malformed JSON with 400', async () => {
    const res = await post('/v1/chat/completions', '{"model": "fast", "messages": [');
    expect(res.status).toBe(400);
    expect(((await res.json()) as OpenAiError).error.code).toBe('invalid_json');
  });

  it('answers a missing model with 400 naming the field', async () => {
    const res = await post('/v1/messages', JSON.stringify({ max_tokens: 5, messages: [] }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as ClaudeError;
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('model');
  });

  it('answers an unknown model with 404 without listing models', async () => {
    const res = await post('/v1/chat/completions', chatBody('no-such-model'));
    expect(res.status).toBe(404);
    const body = (await res.json()) as OpenAiError;
    expect(body.error.code).toBe('model_not_found');
    expect(body.error.message).toContain('no-such-model');
    expect(body.error.message).not.toContain('gpt-fast');
  });

  it('answers a body over the limit with 413', async () => {
    const big = JSON.stringify({
      model: 'fast',
      messages: [{ role: 'user', content: 'x'.repeat(100 * 1024) }],
    });
    const res = await post('/v1/chat/completions', big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as OpenAiError).error.code).toBe('payload_too_large');
  });

  it('answers an unknown endpoint with 404 in the guessed format', async () => {
    const res = await post('/v1beta/models/gemini-fast:embedContent', '{}');
    expect(res.status).toBe(404);
    expect(((await res.json()) as GeminiError).error.status).toBe('NOT_FOUND');
  });
});

describe('upstream failures', () => {
  it('answers an unreachable upstream with 502', async () => {
    const res = await post('/v1/chat/completions', chatBody('dead-route'));
    expect(res.status).toBe(502);
    expect(((await res.json()) as OpenAiError).error.code).toBe('upstream_unreachable');
  });

  it('answers an upstream that never answers with 504', async () => {
    upstream.behave({ hang: true });
    const res = await post('/v1/chat/completions', chatBody('fast'));
    expect(res.status).toBe(504);
    expect(((await res.json()) as OpenAiError).error.code).toBe('upstream_timeout');
  });

  it('passes a permanent upstream 4xx back untouched', async () => {
    upstream.behave({ status: 400 });
    const res = await post('/v1/messages', chatBody('claude-fast'));
    expect(res.status).toBe(400);
    const body = (await res.json()) as ClaudeError;
    expect(body.type).toBe('error');
  });

  it('ends a stream cut mid-way by an idle upstream with the wire error event', async () => {
    upstream.behave({ chunkIntervalMs: 1500, chunks: 3 });
    const res = await post(
      '/v1/messages',
      JSON.stringify({ model: 'claude-fast', max_tokens: 5, stream: true, messages: [] }),
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('event: message_start');
    expect(text).toContain('event: error');
    expect(text).not.toContain('event: message_stop');
  });
});
