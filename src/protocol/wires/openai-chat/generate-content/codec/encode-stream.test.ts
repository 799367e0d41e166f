import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../../core/errors';
import { aggregateStream } from '../../../../canonical/aggregate';
import type { EncodeStreamContext } from '../../../../canonical/codec';
import {
  decodeSseTextWarned,
  encodeStreamContext,
  encodeStreamText,
  sseEventsOf,
  warningFields as fields,
} from '../../../../canonical/codec-test-support';
import type { StreamEvent } from '../../../../canonical/stream-events';
import { openAiChatCodec } from './index';

const fixtureText = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8');

/** Feeds the stream's bytes cut at `cuts` through the SSE decoder and this wire's stream decoder. */
function decodeStream(text: string, cuts: number[] = []) {
  return decodeSseTextWarned(openAiChatCodec, text, cuts);
}

function encodeContext(overrides: Partial<EncodeStreamContext> = {}): EncodeStreamContext {
  return encodeStreamContext({
    sourceWire: 'openai-chat',
    nowSeconds: 1700000000,
    includeUsage: true,
    ...overrides,
  });
}

function encodeStream(events: StreamEvent[], context = encodeContext()): string {
  return encodeStreamText(openAiChatCodec, events, context);
}

/** The JSON of each data event, `[DONE]` kept as is. */
function chunksOf(text: string): unknown[] {
  return sseEventsOf(text).map((e): unknown => (e.data === '[DONE]' ? e.data : JSON.parse(e.data)));
}

const STREAMS = [
  'stream.sse',
  'stream-tool-calls.sse',
  'stream-reasoning.sse',
  'stream-refusal.sse',
  'stream-error.sse',
];

describe('openAiChatCodec stream encoder', () => {
  it('emits the exact Chat Completions chunk sequence', () => {
    const events: StreamEvent[] = [
      { type: 'start', id: 'msg_01', model: 'claude-sonnet-4-5', created: 1747300100 },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, text: 'Hi' },
      { type: 'part-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'toolu_a', name: 'f' },
      { type: 'tool-input-delta', index: 1, argumentsDelta: '{"a":' },
      { type: 'tool-input-delta', index: 1, argumentsDelta: '1}' },
      { type: 'part-end', index: 1 },
      { type: 'tool-call-start', index: 2, id: 'toolu_b', name: 'g' },
      { type: 'part-end', index: 2 },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 5 } },
      { type: 'usage', usage: { cachedInputTokens: 4 } },
      { type: 'finish', reason: 'tool-calls' },
    ];
    const head = {
      id: 'chatcmpl-req_1',
      object: 'chat.completion.chunk',
      created: 1747300100,
      model: 'client-model',
    };
    const delta = (d: unknown, finish: string | null = null) => ({
      ...head,
      choices: [{ index: 0, delta: d, logprobs: null, finish_reason: finish }],
      usage: null,
    });
    expect(chunksOf(encodeStream(events))).toEqual([
      delta({ role: 'assistant', content: '' }),
      delta({ content: 'Hi' }),
      delta({
        tool_calls: [{ index: 0, id: 'toolu_a', type: 'function', function: { name: 'f', arguments: '' } }],
      }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      delta({
        tool_calls: [{ index: 1, id: 'toolu_b', type: 'function', function: { name: 'g', arguments: '' } }],
      }),
      delta({}, 'tool_calls'),
      {
        ...head,
        choices: [],
        usage: {
          prompt_tokens: 10,
          completion_tokens: 5,
          total_tokens: 15,
          prompt_tokens_details: { cached_tokens: 4 },
          completion_tokens_details: { reasoning_tokens: 0 },
        },
      },
      '[DONE]',
    ]);
  });

  it('sends the role chunk as soon as the stream starts', () => {
    const encoder = openAiChatCodec.createStreamEncoder(encodeContext());
    expect(encoder.push({ type: 'start', id: 'chatcmpl-x', model: 'm' })).toContain('"role":"assistant"');
  });

  it('leaves out the usage chunk and usage fields when the client did not ask for usage', () => {
    const { events } = decodeStream(fixtureText('stream.sse'));
    const chunks = chunksOf(encodeStream(events, encodeContext({ includeUsage: false })));
    expect(chunks.at(-1)).toBe('[DONE]');
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk).not.toHaveProperty('usage');
      expect((chunk as { choices: unknown[] }).choices).toHaveLength(1);
    }
  });

  it('ends a failed stream with the OpenAI error body and no [DONE]', () => {
    const text = encodeStream([
      { type: 'start', id: 'chatcmpl-x', model: 'm' },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, text: 'Once' },
      { type: 'error', error: new GatewayError('upstream_error', 'boom') },
    ]);
    const chunks = chunksOf(text);
    expect(chunks.at(-1)).toEqual({
      error: { message: 'boom', type: 'server_error', param: null, code: 'upstream_error' },
      request_id: 'req_1',
    });
    expect(text).not.toContain('[DONE]');
  });

  it('sends foreign reasoning as reasoning_content and reports the opaque state it drops', () => {
    const context = encodeContext({ sourceWire: 'claude' });
    const text = encodeStream(
      [
        { type: 'start', id: 'msg_1', model: 'claude' },
        { type: 'reasoning-start', index: 0 },
        { type: 'reasoning-delta', index: 0, text: 'Hmm.' },
        { type: 'reasoning-signature', index: 0, signature: 'EqQBCgIYAhIM' },
        { type: 'part-end', index: 0 },
        { type: 'reasoning-start', index: 1, redactedData: 'EmwKAhgBEgy3va3pzix' },
        { type: 'part-end', index: 1 },
        { type: 'finish', reason: 'refusal' },
      ],
      context,
    );
    expect(decodeStream(text).events).toEqual([
      { type: 'start', id: 'chatcmpl-req_1', model: 'client-model', created: 1700000000 },
      { type: 'reasoning-start', index: 0 },
      { type: 'reasoning-delta', index: 0, text: 'Hmm.' },
      { type: 'part-end', index: 0 },
      {
        type: 'usage',
        usage: {
          inputTokens: 0,
          outputTokens: 0,
          cachedInputTokens: 0,
          cacheCreationTokens: 0,
          reasoningTokens: 0,
        },
      },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(fields(context.warnings)).toEqual([
      'dropped:reasoning.signature',
      'dropped:reasoning.redacted',
      'approximated:refusal',
    ]);
  });

  it.each(STREAMS)('re-decodes its own encoding of %s to the same meaning', (name) => {
    const { events } = decodeStream(fixtureText(name));
    const again = decodeStream(encodeStream(events)).events;
    const last = events.at(-1);
    if (last?.type === 'error') {
      expect(again.at(-1)).toMatchObject({ type: 'error', error: { message: last.error.message } });
      expect(again.slice(1, -1)).toEqual(events.slice(1, -1));
      return;
    }
    const original = aggregateStream(events);
    const decoded = aggregateStream(again);
    expect(decoded).toEqual({
      ...original,
      id: original.id.startsWith('chatcmpl-') ? original.id : 'chatcmpl-req_1',
      model: 'client-model',
      // Refusal text travels as refusal deltas on the wire but as plain text in stream events.
      finishReason: original.finishReason === 'refusal' ? 'stop' : original.finishReason,
    });
  });
});
