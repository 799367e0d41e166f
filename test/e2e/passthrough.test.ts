/**
 * Same-wire passthrough through the real HTTP server, for every inbound path, streaming and not:
 * the client gets the upstream's answer, the upstream gets the provider credential (never the
 * client's key) and the route's upstream model.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SseDecoder } from '../../src/core/sse';
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
beforeEach(() => upstream.reset());

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${USER_KEY}`, ...headers },
    body: JSON.stringify(body),
  });
}

function sseEvents(text: string): { event?: string; data: string }[] {
  const decoder = new SseDecoder();
  return [...decoder.push(new TextEncoder().encode(text)), ...decoder.end()];
}

function lastRequest() {
  const request = upstream.requests.at(-1);
  if (request === undefined) throw new Error('the upstream saw no request');
  return request;
}

describe('openai-chat passthrough', () => {
  const body = { model: 'fast', messages: [{ role: 'user', content: 'Say hi' }] };

  it('answers a non-streamed request and rewrites the model to the route member', async () => {
    const res = await post('/v1/chat/completions', body);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gproxy-request-id')).toMatch(/^req_/);
    expect(res.headers.get('x-gproxy-route')).toContain('route=gpt-fast');
    const json = (await res.json()) as { object: string; choices: { message: { content: string } }[] };
    expect(json.object).toBe('chat.completion');
    expect(json.choices[0]?.message.content).toContain('Hello');

    const seen = lastRequest();
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.headers['authorization']).toBe('Bearer sk-upstream-openai');
    expect(JSON.stringify(seen.headers)).not.toContain(USER_KEY);
    expect(seen.json).toEqual({ ...body, model: 'gpt-4o-mini' });
  });

  it('streams chunks through and ends with [DONE]', async () => {
    const res = await post('/v1/chat/completions', {
      ...body,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = sseEvents(await res.text());
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data) as { object: string; usage?: unknown });
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.some((c) => c.usage)).toBe(true);
    expect(lastRequest().json).toMatchObject({ model: 'gpt-4o-mini', stream: true });
  });

  it('reaches a provider directly as provider/model', async () => {
    const res = await post('/v1/chat/completions', { ...body, model: 'oa/gpt-4.1' });
    expect(res.status).toBe(200);
    expect(lastRequest().json).toMatchObject({ model: 'gpt-4.1' });
  });
});

describe('openai-responses passthrough', () => {
  it('answers streamed and non-streamed requests', async () => {
    const res = await post('/v1/responses', { model: 'gpt-fast', input: 'Say hi' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { object: string }).object).toBe('response');
    expect(lastRequest().path).toBe('/v1/responses');

    const stream = await post('/v1/responses', { model: 'gpt-fast', input: 'Say hi', stream: true });
    const types = sseEvents(await stream.text()).map((e) => (JSON.parse(e.data) as { type: string }).type);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
  });
});

describe('claude passthrough', () => {
  const body = { model: 'claude-fast', max_tokens: 64, messages: [{ role: 'user', content: 'Say hi' }] };

  it('authenticates with x-api-key and injects the upstream key', async () => {
    const res = await post('/v1/messages', body, { authorization: '', 'x-api-key': USER_KEY });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { type: string }).type).toBe('message');
    const seen = lastRequest();
    expect(seen.path).toBe('/v1/messages');
    expect(seen.headers['x-api-key']).toBe('sk-upstream-anthropic');
    expect(seen.headers['anthropic-version']).toBeDefined();
    expect(seen.json).toMatchObject({ model: 'claude-haiku-4-5' });
  });

  it('streams the event sequence', async () => {
    const res = await post('/v1/messages', { ...body, stream: true });
    const names = sseEvents(await res.text()).map((e) => e.event);
    expect(names[0]).toBe('message_start');
    expect(names.at(-1)).toBe('message_stop');
  });
});

describe('gemini passthrough', () => {
  const body = { contents: [{ role: 'user', parts: [{ text: 'Say hi' }] }] };

  it('answers generateContent under /v1beta and /v1 with x-goog-api-key', async () => {
    for (const prefix of ['/v1beta', '/v1']) {
      const res = await post(`${prefix}/models/gemini-fast:generateContent`, body, {
        authorization: '',
        'x-goog-api-key': USER_KEY,
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { candidates: unknown[] }).candidates.length).toBeGreaterThan(0);
      const seen = lastRequest();
      expect(seen.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
      expect(seen.headers['x-goog-api-key']).toBe('upstream-gemini-key');
      expect(seen.body).toBe(JSON.stringify(body));
    }
  });

  it('streams SSE with alt=sse and a JSON array without it, authenticating with ?key=', async () => {
    const sse = await post(`/v1beta/models/gemini-fast:streamGenerateContent?alt=sse&key=${USER_KEY}`, body, {
      authorization: '',
    });
    expect(sse.status).toBe(200);
    const events = sseEvents(await sse.text());
    expect(events.length).toBeGreaterThan(1);
    expect(lastRequest().path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(lastRequest().path).not.toContain(USER_KEY);

    const array = await post(`/v1beta/models/gemini-fast:streamGenerateContent?key=${USER_KEY}`, body, {
      authorization: '',
    });
    expect(array.status).toBe(200);
    const parsed = JSON.parse(await array.text()) as unknown[];
    expect(Array.isArray(parsed)).toBe(true);
    expect(lastRequest().path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
  });
});

describe('mock channel', () => {
  it('answers in every wire without any upstream', async () => {
    const chat = await post('/v1/chat/completions', {
      model: 'mock-route',
      messages: [{ role: 'user', content: 'ping' }],
    });
    expect(((await chat.json()) as { object: string }).object).toBe('chat.completion');
    const claude = await post('/v1/messages', {
      model: 'mock-route',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'ping' }],
    });
    expect(((await claude.json()) as { type: string }).type).toBe('message');
    const gemini = await post('/v1beta/models/mock-route:streamGenerateContent?alt=sse', {
      contents: [{ role: 'user', parts: [{ text: 'ping' }] }],
    });
    expect(sseEvents(await gemini.text()).length).toBeGreaterThan(1);
    expect(upstream.requests).toHaveLength(0);
  });
});
