import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accumulateResponse } from 'openai/lib/responses/ResponseAccumulator';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../../core/errors';
import { SseDecoder } from '../../../../../core/sse';
import {
  decodeSseText,
  encodeStreamContext,
  encodeStreamPieces,
} from '../../../../canonical/codec-test-support';
import type { StreamEvent } from '../../../../canonical/stream-events';
import { TransformWarnings } from '../../../../canonical/warnings';
import type { WireKind } from '../../../../operation';
import { openAiResponsesCodec } from './index';

type Json = Record<string, unknown>;
const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8');
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function decodeSse(text: string): StreamEvent[] {
  return decodeSseText(openAiResponsesCodec, text);
}

function encode(events: StreamEvent[], sourceWire: WireKind, model = 'client-model') {
  const warnings = new TransformWarnings();
  const context = encodeStreamContext({
    warnings,
    model,
    requestId: 'req_s1',
    sourceWire,
    nowSeconds: 1_700_000_000,
  });
  const pieces = encodeStreamPieces(openAiResponsesCodec, events, context);
  return { pieces, text: pieces.join(''), warnings };
}

/** The wire events of an encoded stream, checked for the `event:` line matching `type`. */
function wireEvents(text: string): Json[] {
  return new SseDecoder().push(bytes(text)).map((event) => {
    const data = JSON.parse(event.data) as Json;
    expect(event.event).toBe(data['type']);
    return data;
  });
}

/** Feeds the events to the OpenAI SDK's own stream accumulator, which throws on inconsistent streams. */
function accumulate(events: Json[]): Response | undefined {
  let snapshot: Response | undefined;
  for (const event of events) {
    if (event['type'] === 'error') break;
    snapshot = accumulateResponse(event as unknown as ResponseStreamEvent, snapshot);
  }
  return snapshot;
}

const comparable = (events: StreamEvent[]) =>
  events.map((event) => (event.type === 'error' ? { type: 'error', message: event.error.message } : event));

const CLAUDE_TURN: StreamEvent[] = [
  { type: 'start', id: 'msg_01XFDUDYJgAACzvnptvVoYEL', model: 'claude-sonnet-4-5' },
  { type: 'reasoning-start', index: 0 },
  { type: 'reasoning-delta', index: 0, text: 'The user wants ' },
  { type: 'reasoning-delta', index: 0, text: 'the weather.' },
  { type: 'reasoning-signature', index: 0, signature: 'EqQBCkYIARgCIkB' },
  { type: 'part-end', index: 0 },
  { type: 'reasoning-start', index: 1, redactedData: 'EmwKAhgBEgy3va3pzix' },
  { type: 'part-end', index: 1 },
  { type: 'text-start', index: 2 },
  { type: 'text-delta', index: 2, text: 'Checking ' },
  { type: 'text-delta', index: 2, text: 'now.' },
  { type: 'part-end', index: 2 },
  { type: 'text-start', index: 3 },
  { type: 'text-delta', index: 3, text: 'Both cities:' },
  { type: 'part-end', index: 3 },
  { type: 'tool-call-start', index: 4, id: 'toolu_01A', name: 'get_weather' },
  { type: 'tool-input-delta', index: 4, argumentsDelta: '{"city":' },
  { type: 'tool-input-delta', index: 4, argumentsDelta: '"Paris"}' },
  { type: 'part-end', index: 4 },
  { type: 'tool-call-start', index: 5, id: 'toolu_01B', name: 'get_weather' },
  { type: 'tool-input-delta', index: 5, argumentsDelta: '{"city":"Rome"}' },
  { type: 'part-end', index: 5 },
  { type: 'usage', usage: { inputTokens: 2112, cachedInputTokens: 2000, cacheCreationTokens: 100 } },
  { type: 'usage', usage: { outputTokens: 48 } },
  { type: 'finish', reason: 'tool-calls' },
];

describe('openai-responses stream encoder', () => {
  it.each(['stream.sse', 'stream-tool-calls.sse', 'stream-error.sse'])(
    're-decodes %s to the same events after encoding',
    (name) => {
      const events = decodeSse(fixture(name));
      const { text } = encode(events, 'openai-responses', 'o4-mini-2025-04-16');
      expect(comparable(decodeSse(text))).toEqual(comparable(events));
    },
  );

  it('emits the exact Responses event sequence, numbered from 0', () => {
    const { text } = encode(CLAUDE_TURN, 'claude');
    const events = wireEvents(text);
    expect(events.map((event) => event['sequence_number'])).toEqual(events.map((_, index) => index));
    expect(events.map((event) => [event['type'], event['output_index'] ?? null])).toEqual([
      ['response.created', null],
      ['response.in_progress', null],
      ['response.output_item.added', 0],
      ['response.reasoning_summary_part.added', 0],
      ['response.reasoning_summary_text.delta', 0],
      ['response.reasoning_summary_text.delta', 0],
      ['response.reasoning_summary_text.done', 0],
      ['response.reasoning_summary_part.done', 0],
      ['response.output_item.done', 0],
      ['response.output_item.added', 1],
      ['response.output_item.done', 1],
      ['response.output_item.added', 2],
      ['response.content_part.added', 2],
      ['response.output_text.delta', 2],
      ['response.output_text.delta', 2],
      ['response.output_text.done', 2],
      ['response.content_part.done', 2],
      ['response.content_part.added', 2],
      ['response.output_text.delta', 2],
      ['response.output_text.done', 2],
      ['response.content_part.done', 2],
      ['response.output_item.done', 2],
      ['response.output_item.added', 3],
      ['response.function_call_arguments.delta', 3],
      ['response.function_call_arguments.delta', 3],
      ['response.function_call_arguments.done', 3],
      ['response.output_item.done', 3],
      ['response.output_item.added', 4],
      ['response.function_call_arguments.delta', 4],
      ['response.function_call_arguments.done', 4],
      ['response.output_item.done', 4],
      ['response.completed', null],
    ]);
    const completed = events.at(-1)?.['response'] as Json;
    expect(completed['id']).toBe('resp_req_s1');
    expect(completed['status']).toBe('completed');
    expect(completed['usage']).toEqual({
      input_tokens: 2112,
      input_tokens_details: { cached_tokens: 2000, cache_write_tokens: 100 },
      output_tokens: 48,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 2160,
    });
    // The SDK rebuilds the same response from the events as the one response.completed carries.
    const snapshot = accumulate(events.slice(0, -1)) as unknown as Json;
    const { output_text: _text, ...rebuilt } = snapshot;
    expect(rebuilt['output']).toEqual(completed['output']);
    expect(accumulate(events)?.output_text).toBe('Checking now.Both cities:');
  });

  it('sends the first bytes on start', () => {
    const { pieces } = encode(CLAUDE_TURN, 'claude');
    expect(pieces[0]).toContain('event: response.created');
    expect(pieces[0]).toContain('event: response.in_progress');
  });

  it('seals foreign reasoning so the next request restores it', () => {
    const { text } = encode(CLAUDE_TURN, 'claude');
    const completed = wireEvents(text).at(-1)?.['response'] as Json;
    const next = openAiResponsesCodec.decodeRequest(
      { model: 'claude-sonnet-4-5', input: completed['output'] },
      { warnings: new TransformWarnings(), path: {} },
    );
    expect(next.messages).toEqual([
      {
        role: 'assistant',
        parts: [
          {
            type: 'reasoning',
            text: 'The user wants the weather.',
            origin: 'claude',
            signature: 'EqQBCkYIARgCIkB',
          },
          { type: 'reasoning', text: '', origin: 'claude', redactedData: 'EmwKAhgBEgy3va3pzix' },
          { type: 'text', text: 'Checking now.' },
          { type: 'text', text: 'Both cities:' },
          { type: 'tool-call', id: 'toolu_01A', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { type: 'tool-call', id: 'toolu_01B', name: 'get_weather', arguments: '{"city":"Rome"}' },
        ],
      },
    ]);
  });

  it('puts a Gemini call signature in a reasoning item before the call', () => {
    const { text, warnings } = encode(
      [
        { type: 'start', id: 'abc', model: 'gemini-2.5-pro' },
        { type: 'text-start', index: 0 },
        { type: 'text-delta', index: 0, text: 'Looking.' },
        { type: 'thought-signature', index: 0, signature: 'text-sig' },
        { type: 'part-end', index: 0 },
        { type: 'tool-call-start', index: 1, id: 'call_0_1', name: 'lookup' },
        { type: 'tool-input-delta', index: 1, argumentsDelta: '{"q":"x"}' },
        { type: 'thought-signature', index: 1, signature: 'CiQB0e2Kb3' },
        { type: 'part-end', index: 1 },
        { type: 'finish', reason: 'tool-calls' },
      ],
      'gemini',
    );
    const events = wireEvents(text);
    const completed = events.at(-1)?.['response'] as Json;
    const output = completed['output'] as Json[];
    expect(output.map((item) => item['type'])).toEqual(['message', 'reasoning', 'function_call']);
    expect(accumulate(events.slice(0, -1))?.output).toEqual(output);
    expect(warnings.list.map((w) => `${w.kind}=${w.field}`)).toEqual(['dropped=parts[0].thoughtSignature']);
    const next = openAiResponsesCodec.decodeRequest(
      { model: 'gemini-2.5-pro', input: output },
      { warnings: new TransformWarnings(), path: {} },
    );
    expect(next.messages[0]?.parts).toEqual([
      { type: 'text', text: 'Looking.' },
      {
        type: 'tool-call',
        id: 'call_0_1',
        name: 'lookup',
        arguments: '{"q":"x"}',
        thoughtSignature: 'CiQB0e2Kb3',
      },
    ]);
  });

  it.each([
    ['length', 'response.incomplete', { reason: 'max_output_tokens' }],
    ['content-filter', 'response.incomplete', { reason: 'content_filter' }],
    ['error', 'response.failed', null],
    ['stop', 'response.completed', null],
  ] as const)('ends a %s finish with %s', (reason, type, details) => {
    const { text } = encode(
      [
        { type: 'start', id: 'x', model: 'm' },
        { type: 'text-start', index: 0 },
        { type: 'text-delta', index: 0, text: 'Once upon' },
        { type: 'part-end', index: 0 },
        { type: 'finish', reason },
      ],
      'claude',
    );
    const events = wireEvents(text);
    const last = events.at(-1) as Json;
    expect(last['type']).toBe(type);
    expect((last['response'] as Json)['incomplete_details']).toEqual(details);
    const message = ((last['response'] as Json)['output'] as Json[])[0];
    expect(message?.['status']).toBe(reason === 'stop' ? 'completed' : 'incomplete');
    expect(accumulate(events)?.status).toBe((last['response'] as Json)['status']);
    const decoded = comparable(decodeSse(text)).at(-1);
    if (reason === 'error') expect(decoded?.type).toBe('error');
    else expect(decoded).toEqual({ type: 'finish', reason });
  });

  it('ends a stream that fails midway with an error event', () => {
    const { text } = encode(
      [
        { type: 'start', id: 'x', model: 'm' },
        { type: 'text-start', index: 0 },
        { type: 'text-delta', index: 0, text: 'Partial' },
        { type: 'error', error: new GatewayError('upstream_error', 'Upstream connection reset') },
        { type: 'finish', reason: 'stop' },
      ],
      'claude',
    );
    const events = wireEvents(text);
    expect(events.at(-1)).toEqual({
      type: 'error',
      sequence_number: events.length - 1,
      code: 'upstream_error',
      message: 'Upstream connection reset',
      param: null,
      request_id: 'req_s1',
    });
    expect(comparable(decodeSse(text)).at(-1)).toEqual({
      type: 'error',
      message: 'Upstream connection reset',
    });
  });

  it('closes parts left open when the answer ends', () => {
    const { text } = encode(
      [
        { type: 'start', id: 'x', model: 'm' },
        { type: 'tool-call-start', index: 0, id: 'c1', name: 'f' },
        { type: 'tool-input-delta', index: 0, argumentsDelta: '{}' },
        { type: 'finish', reason: 'tool-calls' },
      ],
      'claude',
    );
    const events = wireEvents(text);
    expect(events.slice(-3).map((event) => event['type'])).toEqual([
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(accumulate(events)?.output).toHaveLength(1);
  });
});
