import { afterEach, describe, expect, it, vi } from 'vitest';
import { SseDecoder } from '../../core/sse';
import type { SseEvent } from '../../core/sse';
import type { WireKind } from '../../protocol/operation';
import { GENERATE_CONTENT_WIRES } from '../../protocol/wires/index';
import type { LocalAnswerInput, StreamFormat, UpstreamResponse } from '../contract';
import { mockChannel } from './channel';

const PROMPT = 'Say   hello\nin French';
const TEXT = 'This is a mock answer to: Say hello in French';
const WORDS = ['This', ' is', ' a', ' mock', ' answer', ' to:', ' Say', ' hello', ' in', ' French'];

const BODIES: Record<WireKind, unknown> = {
  'openai-chat': {
    model: 'alias',
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: [{ type: 'text', text: PROMPT }] },
    ],
  },
  'openai-responses': { model: 'alias', input: [{ type: 'message', role: 'user', content: PROMPT }] },
  claude: {
    model: 'alias',
    max_tokens: 10,
    messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }],
  },
  gemini: { contents: [{ parts: [{ text: PROMPT }] }] },
};

function input(wire: WireKind, overrides: Partial<LocalAnswerInput> = {}): LocalAnswerInput {
  return {
    provider: { name: 'mock', settings: {} },
    operation: { operation: 'generate-content', wire },
    stream: false,
    streamFormat: 'sse',
    upstreamModel: 'mock-model',
    body: BODIES[wire],
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function answer(value: LocalAnswerInput): Promise<UpstreamResponse> {
  if (!mockChannel.answerLocally) throw new Error('the mock channel must answer locally');
  return mockChannel.answerLocally(value);
}

/** Reads a nested value of parsed JSON by keys and indexes. */
function at(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) current = (current as Record<string | number, unknown> | undefined)?.[key];
  return current;
}

async function readBytes(response: UpstreamResponse): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  return chunks;
}

async function readText(response: UpstreamResponse): Promise<string> {
  const decoder = new TextDecoder();
  return (await readBytes(response)).map((chunk) => decoder.decode(chunk)).join('');
}

async function readEvents(response: UpstreamResponse): Promise<SseEvent[]> {
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  for (const chunk of await readBytes(response)) events.push(...decoder.push(chunk));
  return [...events, ...decoder.end()];
}

async function streamUsage(wire: WireKind, format: StreamFormat, response: UpstreamResponse) {
  const reader = GENERATE_CONTENT_WIRES[wire].createStreamUsageReader(format);
  for (const chunk of await readBytes(response)) reader.push(chunk);
  return reader.finish();
}

const parse = (event: SseEvent | undefined): Record<string, unknown> =>
  JSON.parse(event?.data ?? 'null') as Record<string, unknown>;

describe('mock channel: non-stream answers', () => {
  it.each(Object.keys(BODIES) as WireKind[])('%s answers JSON with text and usage', async (wire) => {
    const response = await answer(input(wire));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    const json: unknown = JSON.parse(await readText(response));
    const usage = GENERATE_CONTENT_WIRES[wire].usageFromResponse(json);
    expect(usage?.outputTokens).toBe(WORDS.length);
    expect(usage?.inputTokens).toBe(Math.ceil(JSON.stringify(BODIES[wire]).length / 4));
    expect(JSON.stringify(json)).toContain(JSON.stringify(TEXT));
  });

  it('answers each wire in its exact shape', async () => {
    const chat = JSON.parse(await readText(await answer(input('openai-chat'))));
    expect(chat).toMatchObject({
      object: 'chat.completion',
      model: 'mock-model',
      choices: [{ index: 0, message: { role: 'assistant', content: TEXT }, finish_reason: 'stop' }],
    });
    const responses = JSON.parse(await readText(await answer(input('openai-responses'))));
    expect(responses).toMatchObject({
      object: 'response',
      status: 'completed',
      output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: TEXT }] }],
    });
    const claude = JSON.parse(await readText(await answer(input('claude'))));
    expect(claude).toMatchObject({
      type: 'message',
      content: [{ type: 'text', text: TEXT }],
      stop_reason: 'end_turn',
    });
    const gemini = JSON.parse(await readText(await answer(input('gemini'))));
    expect(gemini).toMatchObject({
      candidates: [{ content: { role: 'model', parts: [{ text: TEXT }] }, finishReason: 'STOP' }],
    });
  });

  it('answers without a user message', async () => {
    const json = JSON.parse(await readText(await answer(input('openai-chat', { body: { messages: [] } }))));
    expect(json.choices[0].message.content).toBe('This is a mock answer.');
  });
});

describe('mock channel: streams', () => {
  it('openai-chat: role chunk, content chunks, finish chunk, [DONE]; no usage chunk unless asked', async () => {
    const events = await readEvents(await answer(input('openai-chat', { stream: true })));
    expect(events.at(-1)).toEqual({ data: '[DONE]' });
    const chunks = events.slice(0, -1).map(parse);
    expect(chunks).toHaveLength(WORDS.length + 2);
    expect(chunks[0]).toMatchObject({
      object: 'chat.completion.chunk',
      choices: [{ delta: { role: 'assistant' } }],
    });
    expect(chunks.slice(1, -1).map((c) => at(c, 'choices', 0, 'delta', 'content'))).toEqual(WORDS);
    expect(chunks.at(-1)).toMatchObject({ choices: [{ delta: {}, finish_reason: 'stop' }] });
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
  });

  it('openai-chat: with include_usage a last chunk with choices [] carries the usage', async () => {
    const body = {
      ...(BODIES['openai-chat'] as object),
      stream: true,
      stream_options: { include_usage: true },
    };
    const events = await readEvents(await answer(input('openai-chat', { stream: true, body })));
    const usageChunk = parse(events.at(-2));
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({ completion_tokens: WORDS.length });
    expect(events.slice(0, -2).every((event) => parse(event).usage === null)).toBe(true);
    const usage = await streamUsage(
      'openai-chat',
      'sse',
      await answer(input('openai-chat', { stream: true, body })),
    );
    expect(usage?.outputTokens).toBe(WORDS.length);
  });

  it('openai-responses: the full event sequence with increasing sequence numbers', async () => {
    const events = await readEvents(await answer(input('openai-responses', { stream: true })));
    expect(events.map((event) => event.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...WORDS.map(() => 'response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const data = events.map(parse);
    expect(data.map((d) => d.sequence_number)).toEqual(data.map((_, i) => i));
    expect(data.every((d, i) => d.type === events[i]?.event)).toBe(true);
    expect(data.filter((d) => d.type === 'response.output_text.delta').map((d) => d.delta)).toEqual(WORDS);
    expect(data.at(-1)).toMatchObject({
      response: { status: 'completed', usage: { output_tokens: WORDS.length } },
    });
  });

  it('claude: message_start … message_stop with usage', async () => {
    const events = await readEvents(await answer(input('claude', { stream: true })));
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      ...WORDS.map(() => 'content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const data = events.map(parse);
    expect(data.every((d, i) => d.type === events[i]?.event)).toBe(true);
    expect(data.filter((d) => d.type === 'content_block_delta').map((d) => at(d, 'delta', 'text'))).toEqual(
      WORDS,
    );
    expect(data.at(-2)).toMatchObject({
      delta: { stop_reason: 'end_turn' },
      usage: { output_tokens: WORDS.length },
    });
    const usage = await streamUsage('claude', 'sse', await answer(input('claude', { stream: true })));
    expect(usage?.outputTokens).toBe(WORDS.length);
  });

  it('gemini SSE: CRLF-framed chunks, the last with finishReason STOP and usageMetadata', async () => {
    const response = await answer(input('gemini', { stream: true }));
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const text = await readText(response);
    expect(text.startsWith('data: {')).toBe(true);
    expect(text.endsWith('}\r\n\r\n')).toBe(true);
    const decoder = new SseDecoder();
    const data = [...decoder.push(new TextEncoder().encode(text)), ...decoder.end()].map(parse);
    expect(data.map((d) => at(d, 'candidates', 0, 'content', 'parts', 0, 'text'))).toEqual(WORDS);
    expect(data.slice(0, -1).every((d) => !('usageMetadata' in d))).toBe(true);
    expect(data.at(-1)).toMatchObject({
      candidates: [{ finishReason: 'STOP' }],
      usageMetadata: { candidatesTokenCount: WORDS.length },
    });
  });

  it('gemini JSON array: one streamed array, readable by the usage reader', async () => {
    const streamed = input('gemini', { stream: true, streamFormat: 'json-array' });
    const response = await answer(streamed);
    expect(response.headers['content-type']).toBe('application/json');
    const text = await readText(response);
    expect(text).toMatch(/^\[\{.*\}\n,\{/s);
    expect(text.endsWith('}\n]')).toBe(true);
    const items = JSON.parse(text) as unknown[];
    expect(items.map((item) => at(item, 'candidates', 0, 'content', 'parts', 0, 'text')).join('')).toBe(TEXT);
    const usage = await streamUsage('gemini', 'json-array', await answer(streamed));
    expect(usage?.outputTokens).toBe(WORDS.length);
  });

  it('groups words to honour the chunks cap', async () => {
    const provider = { name: 'mock', settings: { chunks: '3' } };
    const events = await readEvents(await answer(input('claude', { stream: true, provider })));
    const deltas = events.filter((event) => event.event === 'content_block_delta').map(parse);
    expect(deltas).toHaveLength(3);
    expect(deltas.map((d) => at(d, 'delta', 'text')).join('')).toBe(TEXT);
  });
});

describe('mock channel: pacing and abort', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits latency_ms before answering and chunk_interval_ms between frames', async () => {
    vi.useFakeTimers();
    const provider = { name: 'mock', settings: { latency_ms: 100, chunk_interval_ms: 10 } };
    let resolved = false;
    const pending = answer(input('claude', { stream: true, provider })).then((response) => {
      resolved = true;
      return response;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(resolved).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const iterator = (await pending).body[Symbol.asyncIterator]();
    await iterator.next();
    let second = false;
    const next = iterator.next().then(() => (second = true));
    await vi.advanceTimersByTimeAsync(9);
    expect(second).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await next;
    expect(second).toBe(true);
  });

  it('rejects with the abort reason when aborted during the latency, timer cleared', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const provider = { name: 'mock', settings: { latency_ms: 10_000 } };
    const pending = answer(input('openai-chat', { provider, signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('client went away'));
    await expect(pending).rejects.toThrow('client went away');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops a stream when the client aborts, timer cleared', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const provider = { name: 'mock', settings: { chunk_interval_ms: 1000 } };
    const response = await answer(
      input('openai-responses', { stream: true, provider, signal: controller.signal }),
    );
    const iterator = response.body[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    const next = iterator.next();
    controller.abort(new Error('aborted by client'));
    await expect(next).rejects.toThrow('aborted by client');
    expect(vi.getTimerCount()).toBe(0);
    expect((await iterator.next()).done).toBe(true);
  });

  it('produces nothing more after discard', async () => {
    const response = await answer(input('gemini', { stream: true }));
    await response.discard();
    await expect(readBytes(response)).rejects.toThrow(/discarded/);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('early'));
    await expect(answer(input('claude', { signal: controller.signal }))).rejects.toThrow('early');
  });

  it('routes every wire locally and has no upstream request', () => {
    for (const wire of Object.keys(BODIES) as WireKind[]) {
      expect(
        mockChannel.routingRule({ operation: 'generate-content', wire }, { name: 'm', settings: {} }),
      ).toEqual({
        kind: 'local',
      });
    }
    expect(
      mockChannel.routingRule({ operation: 'list-models', wire: 'gemini' }, { name: 'm', settings: {} }).kind,
    ).toBe('unsupported');
  });

  it('rejects bad settings', async () => {
    const provider = { name: 'mock', settings: { latency_ms: -1 } };
    await expect(answer(input('claude', { provider }))).rejects.toThrow(/non-negative/);
  });
});
