/**
 * Providers that cannot stream (stream_mode "never") or can only stream ("always"): streaming
 * clients get a synthetic stream (with keep-alive lines while they wait), whole-answer clients get
 * the stream folded into one answer — same wire or converted.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SseDecoder } from '../../src/core/sse';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';

let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  const credentials = [{ label: 'main', secret: { api_key: 'sk-up' } }];
  gateway = await startTestGateway(
    {
      version: 1,
      providers: [
        {
          name: 'oa-never',
          channel: 'openai',
          settings: { base_url: `${upstream.url}/v1`, stream_mode: 'never' },
          credentials,
        },
        {
          name: 'an-never',
          channel: 'anthropic',
          settings: { base_url: `${upstream.url}/v1`, stream_mode: 'never' },
          credentials,
        },
        {
          name: 'an-always',
          channel: 'anthropic',
          settings: { base_url: `${upstream.url}/v1`, stream_mode: 'always' },
          credentials,
        },
      ],
      routes: [
        { name: 'chat-never', members: [{ provider: 'oa-never', model: 'gpt-up' }] },
        { name: 'claude-never', members: [{ provider: 'an-never', model: 'claude-up' }] },
        { name: 'claude-always', members: [{ provider: 'an-always', model: 'claude-up' }] },
      ],
      users: [{ name: 'alice', permissions: ['*'], keys: [{ label: 'k', key: USER_KEY }] }],
    },
    { keepAliveMs: 100 },
  );
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});
beforeEach(() => upstream.reset());

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${USER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function events(text: string): { event?: string; data: string }[] {
  const decoder = new SseDecoder();
  return [...decoder.push(new TextEncoder().encode(text)), ...decoder.end()];
}

const messages = [{ role: 'user', content: 'Say hi' }];

describe('stream_mode never', () => {
  it('gives a same-wire streaming client a synthetic stream from a whole upstream answer', async () => {
    const res = await post('/v1/chat/completions', { model: 'chat-never', stream: true, messages });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const received = events(await res.text());
    expect(received.at(-1)?.data).toBe('[DONE]');
    const text = received
      .slice(0, -1)
      .map(
        (e) =>
          (JSON.parse(e.data) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ??
          '',
      )
      .join('');
    expect(text).toBe('Hello from fake openai-chat');
    expect(upstream.requests.at(-1)?.json).not.toHaveProperty('stream', true);
  });

  it('sends keep-alive lines while the upstream takes its time, then the converted answer', async () => {
    upstream.behave({ delayMs: 350 });
    const res = await post('/v1/chat/completions', { model: 'claude-never', stream: true, messages });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.startsWith(': keep-alive\n\n')).toBe(true);
    expect(text.match(/: keep-alive/g)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toContain('Hello');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const sent = upstream.requests.at(-1)!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.json).not.toHaveProperty('stream', true);
  });

  it('reports a failure after keep-alive lines inside the stream, in the client wire', async () => {
    upstream.behave({ delayMs: 250, status: 500 });
    const res = await post('/v1/messages', { model: 'claude-never', max_tokens: 20, stream: true, messages });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.startsWith(': keep-alive')).toBe(true);
    expect(text).toContain('event: error');
  });

  it('answers quickly with an ordinary status when the upstream fails before the first keep-alive', async () => {
    upstream.behave({ status: 400 });
    const res = await post('/v1/chat/completions', { model: 'claude-never', stream: true, messages });
    expect(res.status).toBe(400);
  });
});

describe('stream_mode always', () => {
  it('folds the upstream stream into one answer for a whole-answer client', async () => {
    const res = await post('/v1/messages', { model: 'claude-always', max_tokens: 50, messages });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { type: string; content: { text: string }[] };
    expect(body.type).toBe('message');
    expect(body.content[0]?.text).toBe('Hello from fake claude');
    expect(upstream.requests.at(-1)?.json).toHaveProperty('stream', true);
  });

  it('folds it for a converted client too', async () => {
    const res = await post('/v1beta/models/claude-always:generateContent', {
      contents: [{ role: 'user', parts: [{ text: 'Say hi' }] }],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { candidates: { content: { parts: { text: string }[] } }[] };
    expect(body.candidates[0]?.content.parts.map((p) => p.text).join('')).toBe('Hello from fake claude');
  });
});
