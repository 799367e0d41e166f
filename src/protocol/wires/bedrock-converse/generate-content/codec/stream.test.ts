import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  comparableEvents,
  decodeSseText,
  encodeStreamContext,
  encodeStreamText,
  sseEventsOf,
} from '../../../../canonical/codec-test-support';
import { aggregateStream } from '../../../../canonical/aggregate';
import type { StreamEvent } from '../../../../canonical/stream-events';
import { synthesizeStream } from '../../../../canonical/synthesize';
import { claudeCodec } from '../../../claude/generate-content/codec';
import { geminiCodec } from '../../../gemini/generate-content/codec';
import { openAiChatCodec } from '../../../openai-chat/generate-content/codec';
import { openAiResponsesCodec } from '../../../openai-responses/generate-content/codec';
import { bedrockConverseCodec } from './index';

const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8');

/** Every 11th byte a cut: events arrive split across network reads. */
function decode(text: string): StreamEvent[] {
  const cuts: number[] = [];
  for (let at = 11; at < new TextEncoder().encode(text).length; at += 11) cuts.push(at);
  return decodeSseText(bedrockConverseCodec, text, cuts);
}

const context = (includeUsage = true) =>
  encodeStreamContext({ sourceWire: 'bedrock-converse', requestId: 'req_br2', includeUsage });

const parsed = (text: string) =>
  sseEventsOf(text)
    .filter((e) => e.data !== '[DONE]')
    .map((e) => JSON.parse(e.data));

describe('bedrock-converse stream decoder', () => {
  it('turns ConverseStream events into canonical events, usage before finish', () => {
    expect(comparableEvents(decode(fixture('stream-tool-use.sse')))).toEqual([
      { type: 'start', id: '', model: '' },
      { type: 'reasoning-start', index: 0 },
      { type: 'reasoning-delta', index: 0, text: 'Two cities, ' },
      { type: 'reasoning-delta', index: 0, text: 'so two tool calls.' },
      { type: 'reasoning-signature', index: 0, signature: 'EqQBCkgIBhABGAIiQKm2converse-signature-0002' },
      { type: 'part-end', index: 0 },
      { type: 'text-start', index: 1 },
      { type: 'text-delta', index: 1, text: 'Checking ' },
      { type: 'text-delta', index: 1, text: 'both.' },
      { type: 'part-end', index: 1 },
      { type: 'tool-call-start', index: 2, id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather' },
      { type: 'tool-input-delta', index: 2, argumentsDelta: '{"city": "Pa' },
      { type: 'tool-input-delta', index: 2, argumentsDelta: 'ris"}' },
      { type: 'part-end', index: 2 },
      { type: 'tool-call-start', index: 3, id: 'tooluse_8nUeBm2dS0O1Wg3Kx2cYdA', name: 'get_weather' },
      { type: 'tool-input-delta', index: 3, argumentsDelta: '{"city": "Berlin"}' },
      { type: 'part-end', index: 3 },
      {
        type: 'usage',
        usage: {
          inputTokens: 412,
          outputTokens: 71,
          cachedInputTokens: 300,
          cacheCreationTokens: 0,
          reasoningTokens: 0,
        },
      },
      { type: 'finish', reason: 'tool-calls' },
    ]);
  });

  it('ends with the exception a throttled stream sends, as a rate-limit error', () => {
    const events = comparableEvents(decode(fixture('stream-error.sse')));
    expect(events.at(-1)).toEqual({
      type: 'error',
      code: 'rate_limited',
      message: 'Bedrock throttlingException: Too many tokens, please wait before trying again.',
    });
    expect(events.filter((event) => event.type === 'finish')).toEqual([]);
  });

  it('fails a stream cut before messageStop, and finishes one that only lacks its metadata', () => {
    expect(comparableEvents(decode(fixture('stream-cut.sse'))).at(-1)).toMatchObject({
      type: 'error',
      code: 'upstream_bad_response',
    });
    const noMetadata = fixture('stream.sse').replace(/event: metadata\n.*\n\n/, '');
    expect(decode(noMetadata).at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('survives its own encoder: encode → decode gives the same answer', () => {
    const answer = aggregateStream(decode(fixture('stream-tool-use.sse')));
    const text = encodeStreamText(bedrockConverseCodec, synthesizeStream(answer), context());
    expect(aggregateStream(decode(text))).toEqual(answer);
  });
});

describe('a ConverseStream converted for each client wire', () => {
  const upstream = () => decode(fixture('stream-tool-use.sse'));

  it('OpenAI Chat: streamed tool-call deltas with their indices, then the usage chunk and [DONE]', () => {
    const text = encodeStreamText(openAiChatCodec, upstream(), context());
    expect(sseEventsOf(text).at(-1)?.data).toBe('[DONE]');
    const chunks = parsed(text);
    const calls = chunks.flatMap((chunk) => chunk.choices?.[0]?.delta?.tool_calls ?? []);
    expect(calls[0]).toMatchObject({
      index: 0,
      id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
      function: { name: 'get_weather' },
    });
    const args = (index: number) =>
      calls
        .filter((call) => call.index === index)
        .map((call) => call.function?.arguments ?? '')
        .join('');
    expect(args(0)).toBe('{"city": "Paris"}');
    expect(args(1)).toBe('{"city": "Berlin"}');
    expect(chunks.map((chunk) => chunk.choices?.[0]?.delta?.content ?? '').join('')).toBe('Checking both.');
    expect(chunks.find((chunk) => chunk.choices?.[0]?.finish_reason)?.choices[0].finish_reason).toBe(
      'tool_calls',
    );
    expect(chunks.at(-1).usage).toMatchObject({
      prompt_tokens: 412,
      completion_tokens: 71,
      prompt_tokens_details: { cached_tokens: 300 },
    });
  });

  it('Claude: input_json_delta events, the reasoning signature sealed, usage in message_delta', () => {
    const events = sseEventsOf(encodeStreamText(claudeCodec, upstream(), context()));
    expect(events[0]?.event).toBe('message_start');
    expect(events.at(-1)?.event).toBe('message_stop');
    const data = events.map((event) => JSON.parse(event.data));
    const json = data.filter((d) => d.delta?.type === 'input_json_delta').map((d) => d.delta.partial_json);
    expect(json).toEqual(['{"city": "Pa', 'ris"}', '{"city": "Berlin"}']);
    const signature = data.find((d) => d.delta?.type === 'signature_delta')?.delta.signature as string;
    expect(signature.startsWith('gpx1.')).toBe(true);
    expect(data.find((d) => d.type === 'message_delta')).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { input_tokens: 112, cache_read_input_tokens: 300, output_tokens: 71 },
    });
  });

  it('Gemini: functionCall parts with whole arguments and usageMetadata', () => {
    const chunks = parsed(encodeStreamText(geminiCodec, upstream(), context()));
    const calls = chunks.flatMap((chunk) =>
      (chunk.candidates?.[0]?.content?.parts ?? []).filter(
        (part: { functionCall?: unknown }) => part.functionCall,
      ),
    );
    expect(calls.map((part: { functionCall: unknown }) => part.functionCall)).toEqual([
      { id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather', args: { city: 'Paris' } },
      { id: 'tooluse_8nUeBm2dS0O1Wg3Kx2cYdA', name: 'get_weather', args: { city: 'Berlin' } },
    ]);
    expect(chunks.at(-1).usageMetadata).toMatchObject({ promptTokenCount: 412, candidatesTokenCount: 71 });
  });

  it('OpenAI Responses: function_call arguments deltas and the completed response with usage', () => {
    const events = sseEventsOf(encodeStreamText(openAiResponsesCodec, upstream(), context()));
    const data = events.map((event) => JSON.parse(event.data));
    const deltas = data
      .filter((d) => d.type === 'response.function_call_arguments.delta')
      .map((d) => d.delta);
    expect(deltas.join('')).toBe('{"city": "Paris"}{"city": "Berlin"}');
    expect(data.at(-1)).toMatchObject({
      type: 'response.completed',
      response: { usage: { input_tokens: 412, output_tokens: 71 } },
    });
  });

  it('an exception mid-stream reaches each client as its own error event', () => {
    const failed = decode(fixture('stream-error.sse'));
    const chat = parsed(encodeStreamText(openAiChatCodec, failed, context()));
    expect(chat.at(-1)).toMatchObject({ error: { type: 'rate_limit_error', code: 'rate_limited' } });
    const claude = sseEventsOf(encodeStreamText(claudeCodec, failed, context())).at(-1);
    expect(claude?.event).toBe('error');
    expect(JSON.parse(claude!.data)).toMatchObject({
      type: 'error',
      error: {
        type: 'rate_limit_error',
        message: 'Bedrock throttlingException: Too many tokens, please wait before trying again.',
      },
    });
    const gemini = parsed(encodeStreamText(geminiCodec, failed, context())).at(-1);
    expect(gemini).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } });
  });
});
