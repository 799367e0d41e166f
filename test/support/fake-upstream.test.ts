import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WireKind } from '../../src/protocol/operation';
import { GENERATE_CONTENT_WIRES } from '../../src/protocol/wires/index';
import { FAKE_USAGE, fakePieces, startFakeUpstream } from './fake-upstream';
import type { FakeUpstream } from './fake-upstream';

let upstream: FakeUpstream;

beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(async () => {
  await upstream.close();
});
beforeEach(() => upstream.reset());

const CASES: Array<{ wire: WireKind; path: string; streamPath?: string; body: Record<string, unknown> }> = [
  {
    wire: 'openai-chat',
    path: '/v1/chat/completions',
    body: { model: 'gpt-x', messages: [], stream_options: { include_usage: true } },
  },
  { wire: 'openai-responses', path: '/v1/responses', body: { model: 'gpt-x', input: 'hi' } },
  { wire: 'claude', path: '/v1/messages', body: { model: 'claude-x', max_tokens: 5, messages: [] } },
  {
    wire: 'gemini',
    path: '/v1beta/models/gemini-x:generateContent',
    streamPath: '/v1beta/models/gemini-x:streamGenerateContent?alt=sse',
    body: { contents: [] },
  },
];

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${upstream.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function streamUsage(wire: WireKind, format: 'sse' | 'json-array', res: Response) {
  const reader = GENERATE_CONTENT_WIRES[wire].createStreamUsageReader(format);
  reader.push(new Uint8Array(await res.arrayBuffer()));
  return reader.finish();
}

describe('fake upstream', () => {
  it.each(CASES)('$wire answers with the documented text and usage', async ({ wire, path, body }) => {
    const res = await post(path, body, { authorization: 'Bearer up' });
    expect(res.status).toBe(200);
    const json: unknown = await res.json();
    expect(GENERATE_CONTENT_WIRES[wire].usageFromResponse(json)).toEqual(FAKE_USAGE[wire]);
    expect(JSON.stringify(json)).toContain(`Hello from fake ${wire}`);
    expect(upstream.requests[0]).toMatchObject({ method: 'POST', path, json: body });
    expect(upstream.requests[0]?.headers['authorization']).toBe('Bearer up');
  });

  it.each(CASES)('$wire streams with the documented usage', async ({ wire, path, streamPath, body }) => {
    const res = await post(streamPath ?? path, { ...body, stream: true });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(await streamUsage(wire, 'sse', res)).toEqual(FAKE_USAGE[wire]);
  });

  it('streams Gemini as a JSON array without alt=sse, with chunks and text from the behaviour', async () => {
    upstream.behave({ chunks: 5, text: 'a b c' });
    const res = await post('/v1beta/models/gemini-x:streamGenerateContent', { contents: [] });
    const items = JSON.parse(await res.clone().text()) as Array<{
      candidates: Array<{ content: { parts: Array<{ text: string }> } }>;
    }>;
    expect(items.map((item) => item.candidates[0]?.content.parts[0]?.text)).toEqual(
      fakePieces('gemini', 'a b c', 5),
    );
    expect(await streamUsage('gemini', 'json-array', res)).toEqual(FAKE_USAGE.gemini);
  });

  it('sends the chat usage chunk only when include_usage is asked', async () => {
    const text = await (await post('/v1/chat/completions', { model: 'm', stream: true })).text();
    expect(text).not.toContain('"usage"');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('answers a forced status with the provider error body and extra headers', async () => {
    upstream.behave({ status: 429, headers: { 'retry-after': '3' } });
    const claude = await post('/v1/messages', {});
    expect(claude.status).toBe(429);
    expect(claude.headers.get('retry-after')).toBe('3');
    expect(await claude.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    const gemini = await post('/v1beta/models/g:generateContent', {});
    expect(await gemini.json()).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } });
  });

  it('counts a hanging response cut by the client as an abort', async () => {
    upstream.behave({ hang: true });
    const controller = new AbortController();
    const pending = post('/v1/chat/completions', {}, {});
    void pending.catch(() => undefined);
    const aborted = fetch(`${upstream.url}/v1/responses`, {
      method: 'POST',
      body: '{}',
      signal: controller.signal,
    });
    await upstream.waitFor(() => upstream.requests.length === 2);
    controller.abort();
    await expect(aborted).rejects.toThrow();
    await upstream.waitFor(() => upstream.aborts === 1);
    expect(upstream.aborts).toBe(1);
  });
});
