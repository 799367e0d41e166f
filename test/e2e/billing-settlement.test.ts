/**
 * Settlement of every end state, streaming and not: what the upstream reported is billed; when it
 * reported nothing the usage is counted locally (or, when nothing came back at all, estimated from
 * the request) and marked so. OpenAI Chat streams are asked for usage, and the extra chunk is kept
 * from clients that did not ask for it.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';
import { call, ledgerFind, ledgerRecord, pico, pricedBundle } from './billing-support';

let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway(pricedBundle(upstream.url), {
    timeouts: { connectMs: 2000, firstByteMs: 400, idleMs: 400 },
  });
});
afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
});

const chat = (extra: Record<string, unknown> = {}) => ({
  model: 'fast',
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});
const lastChatRequest = (): Record<string, unknown> =>
  upstream.requests.filter((r) => r.path.startsWith('/v1/chat/completions')).at(-1)?.json as Record<
    string,
    unknown
  >;

describe('stream usage is asked for', () => {
  it('adds include_usage upstream and strips the usage chunk from a client that did not ask', async () => {
    upstream.reset();
    const done = await call(gateway.url, '/v1/chat/completions', chat({ stream: true }));
    expect(done.status).toBe(200);
    expect(lastChatRequest()['stream_options']).toEqual({ include_usage: true });
    expect(done.text).not.toContain('"usage"');
    expect(done.text).toContain('data: [DONE]');
    expect(done.text).toContain('Hello');
    const record = await ledgerRecord(gateway.url, done.requestId);
    expect(record).toMatchObject({ endState: 'complete', usageSource: 'upstream-reported', inputTokens: 12 });
    expect(record['costPicoUsd']).toBe(String(pico(12, 1) + pico(8, 2)));
  });

  it('keeps the chunk for a client that asked, and its other stream_options', async () => {
    const done = await call(
      gateway.url,
      '/v1/chat/completions',
      chat({ stream: true, stream_options: { include_usage: true } }),
    );
    expect(lastChatRequest()['stream_options']).toEqual({ include_usage: true });
    expect(done.text).toContain('"choices":[],"usage":{');
  });

  it('strips it from converted streams too (OpenAI client, Claude upstream)', async () => {
    const done = await call(
      gateway.url,
      '/v1/chat/completions',
      chat({ model: 'claude-fast', stream: true }),
    );
    expect(done.status).toBe(200);
    expect(done.text).not.toContain('"usage":{');
    const record = await ledgerRecord(gateway.url, done.requestId);
    expect(record).toMatchObject({ usageSource: 'upstream-reported', priceRule: 'an-haiku' });
  });
});

describe('end states', () => {
  it('complete, not streamed, with usage reported', async () => {
    const done = await call(gateway.url, '/v1/chat/completions', chat());
    expect(await ledgerRecord(gateway.url, done.requestId)).toMatchObject({
      endState: 'complete',
      usageSource: 'upstream-reported',
      priced: true,
    });
  });

  it('complete without usage: counted locally from the request and the text produced', async () => {
    upstream.behave({
      script: {
        'openai-chat': {
          json: {
            id: 'c1',
            object: 'chat.completion',
            model: 'gpt-4o-mini',
            choices: [
              { index: 0, message: { role: 'assistant', content: 'x'.repeat(40) }, finish_reason: 'stop' },
            ],
          },
          frames: [],
        },
      },
    });
    const body = chat();
    const done = await call(gateway.url, '/v1/chat/completions', body);
    const record = await ledgerRecord(gateway.url, done.requestId);
    const inputTokens = Math.ceil(JSON.stringify(body).length / 4);
    expect(record).toMatchObject({
      usageSource: 'counted-locally',
      inputTokens,
      outputTokens: 10,
      priced: true,
    });
    expect(record['costPicoUsd']).toBe(String(pico(inputTokens, 1) + pico(10, 2)));
  });

  it('streamed, cut by the upstream before its usage chunk: counted locally', async () => {
    const chunk = (content: string) =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: null }], usage: null })}\n\n`;
    upstream.behave({ script: { 'openai-chat': { json: {}, frames: [chunk('abcd'), chunk('efgh')] } } });
    const done = await call(gateway.url, '/v1/chat/completions', chat({ stream: true }));
    const record = await ledgerRecord(gateway.url, done.requestId);
    expect(record).toMatchObject({ endState: 'complete', usageSource: 'counted-locally', outputTokens: 2 });
  });

  it('upstream error, streamed and not: nothing billed', async () => {
    upstream.behave({ status: 400 });
    for (const stream of [false, true]) {
      const done = await call(gateway.url, '/v1/chat/completions', chat({ stream }));
      expect(done.status).toBe(400);
      expect(await ledgerRecord(gateway.url, done.requestId)).toMatchObject({
        endState: 'upstream-error',
        usageSource: 'none',
        costPicoUsd: null,
        inputTokens: 0,
      });
    }
    upstream.behave({ status: undefined });
  });

  it('upstream error mid-stream (converted): bills what the upstream reported before it', async () => {
    const sse = (type: string, data: object) =>
      `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    upstream.behave({
      script: {
        claude: {
          json: {},
          frames: [
            sse('message_start', {
              message: {
                id: 'm',
                type: 'message',
                role: 'assistant',
                model: 'claude-haiku-4-5',
                content: [],
                stop_reason: null,
                usage: { input_tokens: 11, output_tokens: 1 },
              },
            }),
            sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
            sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hel' } }),
            sse('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }),
          ],
        },
      },
    });
    const done = await call(
      gateway.url,
      '/v1/chat/completions',
      chat({ model: 'claude-fast', stream: true }),
    );
    const record = await ledgerRecord(gateway.url, done.requestId);
    expect(record).toMatchObject({
      endState: 'upstream-error',
      usageSource: 'upstream-reported',
      inputTokens: 11,
    });
    expect(record['costPicoUsd']).toBe(String(pico(11, 1) + pico(1, 5)));
  });

  it('timeout before the first byte, streamed and not: the prompt is estimated', async () => {
    upstream.behave({ hang: true });
    for (const stream of [false, true]) {
      const done = await call(gateway.url, '/v1/chat/completions', chat({ stream }));
      expect(done.status).toBe(504);
      const record = await ledgerRecord(gateway.url, done.requestId);
      expect(record).toMatchObject({ endState: 'timeout', usageSource: 'estimated', outputTokens: 0 });
      expect(Number(record['inputTokens'])).toBeGreaterThan(0);
    }
    upstream.behave({ hang: false });
  });

  it('timeout mid-stream: counted locally from what was produced', async () => {
    upstream.behave({ chunkIntervalMs: 1000, chunks: 3 });
    const done = await call(gateway.url, '/v1/chat/completions', chat({ stream: true }));
    const record = await ledgerRecord(gateway.url, done.requestId);
    expect(record).toMatchObject({ endState: 'timeout', usageSource: 'counted-locally' });
    upstream.behave({ chunkIntervalMs: 0, chunks: undefined });
  });

  it('client disconnect mid-stream, and while waiting for a whole answer', async () => {
    upstream.behave({ chunkIntervalMs: 100, chunks: 50 });
    const streamId = await leaveEarly(chat({ stream: true }), 'first-data');
    const streamed = await ledgerRecord(gateway.url, streamId);
    expect(streamed).toMatchObject({ endState: 'client-aborted', usageSource: 'counted-locally' });
    upstream.behave({ chunkIntervalMs: 0, chunks: undefined, delayMs: 300 });
    await leaveEarly(chat(), 'headers-sent');
    // No headers came back, so no request id: the newest aborted non-streamed record.
    const whole = await ledgerFind(
      gateway.url,
      (entry) => entry['endState'] === 'client-aborted' && entry['stream'] === false,
    );
    expect(whole).toMatchObject({ endState: 'client-aborted', usageSource: 'estimated', outputTokens: 0 });
    upstream.behave({ delayMs: 0 });
  });
});

/** Sends a request and goes away: at its first data chunk, or 100 ms after sending. */
function leaveEarly(body: unknown, when: 'first-data' | 'headers-sent'): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${USER_KEY}`,
      },
    });
    let id = '';
    req.on('response', (res) => {
      id = String(res.headers['x-gproxy-request-id'] ?? '');
      res.once('data', () => {
        req.destroy();
        resolve(id);
      });
    });
    req.on('error', (error) => {
      if (!req.destroyed) reject(error);
    });
    req.end(JSON.stringify(body));
    if (when === 'headers-sent')
      setTimeout(() => {
        req.destroy();
        resolve(id);
      }, 100);
  });
}
