import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../../core/errors';
import type { EncodeStreamContext } from '../../../../canonical/codec';
import {
  decodeSseText,
  encodeStreamContext,
  encodeStreamText,
} from '../../../../canonical/codec-test-support';
import type { StreamEvent } from '../../../../canonical/stream-events';
import { encodeGeminiStreamError } from '../../../../error-envelopes';
import { JsonArrayScanner } from '../json-array-scanner';
import { geminiCodec } from './index';

const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8');
const enc = new TextEncoder();

/** Feeds SSE bytes split at the given points through SseDecoder and the Gemini stream decoder. */
function decodeSse(text: string, splits: number[] = []): StreamEvent[] {
  return decodeSseText(geminiCodec, text, splits);
}

function encodeEvents(events: StreamEvent[], overrides: Partial<EncodeStreamContext> = {}): string {
  return encodeStreamText(geminiCodec, events, encodeStreamContext({ sourceWire: 'gemini', ...overrides }));
}

/** What a stream means, independent of how it was chunked: parts, last usage, how it ended. */
function aggregate(events: StreamEvent[]) {
  const parts: Record<string, unknown>[] = [];
  const byIndex = new Map<number, Record<string, unknown>>();
  let usage: Record<string, unknown> = {};
  let end: unknown;
  for (const e of events) {
    const part = 'index' in e ? byIndex.get(e.index) : undefined;
    switch (e.type) {
      case 'text-start':
      case 'reasoning-start':
        byIndex.set(e.index, { kind: e.type.split('-')[0], text: '' });
        parts.push(byIndex.get(e.index)!);
        break;
      case 'tool-call-start':
        byIndex.set(e.index, { kind: 'tool', id: e.id, name: e.name, args: '' });
        parts.push(byIndex.get(e.index)!);
        break;
      case 'text-delta':
      case 'reasoning-delta':
        part!['text'] = `${part!['text'] as string}${e.text}`;
        break;
      case 'tool-input-delta':
        part!['args'] = `${part!['args'] as string}${e.argumentsDelta}`;
        break;
      case 'reasoning-signature':
      case 'thought-signature':
        part!['signature'] = e.signature;
        break;
      case 'usage':
        usage = { ...usage, ...e.usage };
        break;
      case 'finish':
        end = e.reason;
        break;
      case 'error':
        end = e.error.message;
        break;
      default:
        break;
    }
  }
  return { parts, usage, end };
}

const TEXT_EVENTS: StreamEvent[] = [
  { type: 'start', id: 'mBCDaMW3Jt6Sz7IPq8rpgQE', model: 'gemini-2.5-flash' },
  { type: 'text-start', index: 0 },
  { type: 'text-delta', index: 0, text: 'Brackets ] } [' },
  {
    type: 'usage',
    usage: {
      inputTokens: 20,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheCreationTokens: 0,
      reasoningTokens: 0,
    },
  },
  { type: 'text-delta', index: 0, text: ' { and "quotes\\"' },
  {
    type: 'usage',
    usage: {
      inputTokens: 20,
      outputTokens: 37,
      cachedInputTokens: 8,
      cacheCreationTokens: 0,
      reasoningTokens: 25,
    },
  },
  { type: 'text-delta', index: 0, text: ' — ok 🚀' },
  {
    type: 'usage',
    usage: {
      inputTokens: 20,
      outputTokens: 55,
      cachedInputTokens: 8,
      cacheCreationTokens: 0,
      reasoningTokens: 25,
    },
  },
  { type: 'part-end', index: 0 },
  { type: 'finish', reason: 'stop' },
];

const TOOL_EVENTS: StreamEvent[] = [
  { type: 'start', id: 'strm-tools-1', model: 'gemini-3-pro-preview' },
  { type: 'reasoning-start', index: 0 },
  { type: 'reasoning-delta', index: 0, text: '**Planning** the' },
  {
    type: 'usage',
    usage: {
      inputTokens: 50,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheCreationTokens: 0,
      reasoningTokens: 0,
    },
  },
  { type: 'reasoning-delta', index: 0, text: ' lookups.' },
  { type: 'reasoning-signature', index: 0, signature: 'THOUGHT_SIG_A' },
  { type: 'part-end', index: 0 },
  { type: 'text-start', index: 1 },
  { type: 'text-delta', index: 1, text: 'Let me ' },
  { type: 'text-delta', index: 1, text: 'check. ☀️' },
  { type: 'part-end', index: 1 },
  { type: 'tool-call-start', index: 2, id: 'call_strm-tools-1_2', name: 'get_weather' },
  { type: 'tool-input-delta', index: 2, argumentsDelta: '{"city":"Paris"}' },
  { type: 'thought-signature', index: 2, signature: 'CALL_SIG_1' },
  { type: 'part-end', index: 2 },
  { type: 'tool-call-start', index: 3, id: 'call_strm-tools-1_3', name: 'get_weather' },
  { type: 'tool-input-delta', index: 3, argumentsDelta: '{"city":"Rome"}' },
  { type: 'part-end', index: 3 },
  {
    type: 'usage',
    usage: {
      inputTokens: 50,
      outputTokens: 32,
      cachedInputTokens: 16,
      cacheCreationTokens: 0,
      reasoningTokens: 12,
    },
  },
  { type: 'finish', reason: 'tool-calls' },
];

describe('gemini stream decoder', () => {
  it.each([
    ['stream.sse', TEXT_EVENTS],
    ['stream-tools.sse', TOOL_EVENTS],
  ])('decodes %s into canonical events, identically at every split point', (name, expected) => {
    const text = fixture(name);
    expect(decodeSse(text)).toEqual(expected);
    const length = enc.encode(text).length;
    for (let at = 0; at <= length; at++) expect(decodeSse(text, [at]), `split at ${at}`).toEqual(expected);
  });

  it('turns a mid-stream error chunk into an error event', () => {
    const events = decodeSse(fixture('stream-error.sse'));
    expect(events.slice(0, 3)).toEqual([
      { type: 'start', id: 'strm-err-1', model: 'gemini-2.5-flash' },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, text: 'Once upon' },
    ]);
    expect(events).toHaveLength(4);
    const last = events[3];
    expect(last?.type === 'error' && last.error).toMatchObject({
      code: 'upstream_error',
      message: 'UNAVAILABLE: The model is overloaded. Please try again later.',
    });
  });

  it('reports a stream cut before its finish as an error', () => {
    const events = decodeSse(fixture('stream-cut.sse'));
    expect(events.slice(-2, -1)).toEqual([{ type: 'part-end', index: 0 }]);
    const last = events[events.length - 1];
    expect(last?.type === 'error' && last.error.code).toBe('upstream_bad_response');
  });

  it('decodes a blocked prompt and a usage chunk after the finish chunk', () => {
    const stream =
      'data: {"promptFeedback":{"blockReason":"SAFETY"},"responseId":"b1","modelVersion":"m"}\n\n' +
      'data: {"usageMetadata":{"promptTokenCount":9,"totalTokenCount":9},"responseId":"b1"}\n\n';
    expect(decodeSse(stream)).toEqual([
      { type: 'start', id: 'b1', model: 'm' },
      {
        type: 'usage',
        usage: {
          inputTokens: 9,
          outputTokens: 0,
          cachedInputTokens: 0,
          cacheCreationTokens: 0,
          reasoningTokens: 0,
        },
      },
      { type: 'finish', reason: 'content-filter' },
    ]);
  });
});

describe('gemini stream encoder', () => {
  it('writes one chunk per delta and a last chunk with the finish and usage', () => {
    const out = encodeEvents([
      { type: 'start', id: 'x', model: 'm' },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, text: 'Hi' },
      { type: 'part-end', index: 0 },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 1 } },
      { type: 'finish', reason: 'length' },
    ]);
    const chunk = (candidate: object, extra: object = {}) =>
      `data: ${JSON.stringify({ candidates: [candidate], ...extra, modelVersion: 'client-model', responseId: 'x' })}\n\n`;
    expect(out).toBe(
      chunk({ content: { role: 'model', parts: [{ text: 'Hi' }] }, index: 0 }) +
        chunk(
          { content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'MAX_TOKENS', index: 0 },
          { usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1, totalTokenCount: 4 } },
        ),
    );
  });

  it.each([
    ['stream.sse', TEXT_EVENTS],
    ['stream-tools.sse', TOOL_EVENTS],
  ])('re-decodes its output of %s to the same meaning', (_name, events) => {
    const redecoded = decodeSse(encodeEvents(events));
    expect(aggregate(redecoded)).toEqual(aggregate(events));
    expect(redecoded[0]).toEqual({
      type: 'start',
      id: (events[0] as { id: string }).id,
      model: 'client-model',
    });
  });

  it('writes the JSON array form without alt=sse', () => {
    const out = encodeEvents(TOOL_EVENTS, { format: 'json-array' });
    expect(out.startsWith('[{')).toBe(true);
    expect(out.endsWith('}]')).toBe(true);
    expect(out).toContain('},\r\n{');
    const scanner = new JsonArrayScanner();
    const elements = [...scanner.push(enc.encode(out)), ...scanner.end()];
    expect(JSON.parse(out)).toEqual(elements.map((e) => JSON.parse(e) as unknown));
    const sse = elements.map((e) => `data: ${e}\n\n`).join('');
    expect(aggregate(decodeSse(sse))).toEqual(aggregate(TOOL_EVENTS));
    expect(encodeEvents([], { format: 'json-array' })).toBe('[]');
  });

  it('ends a stream with the Gemini error envelope and ignores what follows', () => {
    const error = new GatewayError('upstream_error', 'boom');
    const events: StreamEvent[] = [
      { type: 'start', id: 'x', model: 'm' },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, text: 'par' },
      { type: 'error', error },
      { type: 'text-delta', index: 0, text: 'tial' },
    ];
    const out = encodeEvents(events, { sourceWire: 'claude' });
    expect(out.endsWith(encodeGeminiStreamError(error, 'req_1'))).toBe(true);
    expect(out).not.toContain('tial');
    const redecoded = decodeSse(out);
    expect(redecoded[redecoded.length - 1]).toMatchObject({
      type: 'error',
      error: { code: 'upstream_error' },
    });

    const array = encodeEvents(events, { format: 'json-array' });
    expect(array.endsWith(']')).toBe(true);
    expect((JSON.parse(array) as unknown[])[1]).toMatchObject({ error: { code: 502, message: 'boom' } });
  });
});
