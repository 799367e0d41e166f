import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GatewayError } from '../../../../../core/errors';
import {
  comparableEvents as comparable,
  decodeSseChunks,
  decodeSseText,
  encodeStreamContext,
  encodeStreamText,
  sseEventsOf,
} from '../../../../canonical/codec-test-support';
import { isSealed } from '../../../../canonical/opaque';
import type { StreamEvent } from '../../../../canonical/stream-events';
import { TransformWarnings } from '../../../../canonical/warnings';
import type { WireKind } from '../../../../operation';
import { claudeCodec } from './index';

const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8');
const enc = new TextEncoder();

function decodeStream(chunks: Uint8Array[], warnings?: TransformWarnings): StreamEvent[] {
  return decodeSseChunks(claudeCodec, chunks, warnings);
}

function decodeText(text: string): StreamEvent[] {
  return decodeSseText(claudeCodec, text);
}

interface Summary {
  start?: { id: string; model: string };
  parts: Record<string, unknown>[];
  usage: Record<string, number>;
  finish?: unknown;
}

/** What a stream means: its parts' final contents, merged usage, and how it ended. */
function summarize(events: StreamEvent[]): Summary {
  const summary: Summary = { parts: [], usage: {} };
  const part = (index: number): Record<string, unknown> => (summary.parts[index] ??= {});
  for (const event of events) {
    switch (event.type) {
      case 'start':
        summary.start = { id: event.id, model: event.model };
        break;
      case 'text-start':
        Object.assign(part(event.index), { kind: 'text', text: '' });
        break;
      case 'reasoning-start':
        Object.assign(
          part(event.index),
          { kind: 'reasoning', text: '' },
          event.redactedData ? { redacted: event.redactedData } : {},
        );
        break;
      case 'tool-call-start':
        Object.assign(part(event.index), { kind: 'tool', id: event.id, name: event.name, arguments: '' });
        break;
      case 'text-delta':
      case 'reasoning-delta':
        part(event.index)['text'] = `${part(event.index)['text'] as string}${event.text}`;
        break;
      case 'tool-input-delta':
        part(event.index)['arguments'] = `${part(event.index)['arguments'] as string}${event.argumentsDelta}`;
        break;
      case 'reasoning-signature':
        if (event.signature) part(event.index)['signature'] = event.signature;
        break;
      case 'thought-signature':
        part(event.index)['thoughtSignature'] = event.signature;
        break;
      case 'part-end':
        part(event.index)['ended'] = true;
        break;
      case 'usage':
        Object.assign(summary.usage, event.usage);
        break;
      case 'finish':
        summary.finish = { reason: event.reason, stopSequence: event.stopSequence };
        break;
      case 'error':
        summary.finish = { error: event.error.code };
        break;
    }
  }
  return summary;
}

function encodeStream(events: StreamEvent[], sourceWire: WireKind, warnings?: TransformWarnings): string {
  const context = encodeStreamContext({
    sourceWire,
    warnings,
    requestId: 'req_abc',
    nowSeconds: 1_760_000_000,
  });
  return encodeStreamText(claudeCodec, events, context);
}

interface WireEvent {
  type: string;
  index: number;
  content_block: Record<string, unknown>;
  delta: { type: string; text?: string; thinking?: string; signature?: string; partial_json?: string };
  usage: unknown;
}

/** Accumulates a Claude stream into its content blocks, as the Anthropic SDK does. */
function accumulate(text: string): { content: Record<string, unknown>[]; delta?: unknown; usage?: unknown } {
  const content: Record<string, unknown>[] = [];
  const json: string[] = [];
  let delta: unknown;
  let usage: unknown;
  for (const event of sseEventsOf(text)) {
    const data = JSON.parse(event.data) as WireEvent;
    expect(event.event).toBe(data.type);
    if (data.type === 'content_block_start') {
      content[data.index] = { ...data.content_block };
      json[data.index] = '';
    } else if (data.type === 'content_block_delta') {
      const block = content[data.index]!;
      const d = data.delta;
      if (d.type === 'text_delta') block['text'] = `${block['text'] as string}${d.text}`;
      if (d.type === 'thinking_delta') block['thinking'] = `${block['thinking'] as string}${d.thinking}`;
      if (d.type === 'signature_delta') block['signature'] = d.signature;
      if (d.type === 'input_json_delta') json[data.index] += d.partial_json ?? '';
    } else if (data.type === 'content_block_stop') {
      const block = content[data.index]!;
      if (block['type'] === 'tool_use' && json[data.index]) block['input'] = JSON.parse(json[data.index]!);
    } else if (data.type === 'message_delta') {
      delta = data.delta;
      usage = data.usage;
    }
  }
  return { content, delta, usage };
}

describe('claude stream decoder', () => {
  it('decodes a text stream with cache usage', () => {
    expect(decodeText(fixture('stream.sse'))).toEqual([
      { type: 'start', id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF', model: 'claude-sonnet-4-20250514' },
      {
        type: 'usage',
        usage: {
          inputTokens: 2112,
          outputTokens: 1,
          cachedInputTokens: 2000,
          cacheCreationTokens: 100,
          reasoningTokens: 0,
        },
      },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, text: 'Bonjour!' },
      { type: 'text-delta', index: 0, text: ' 👋' },
      { type: 'text-delta', index: 0, text: ' "Hello".' },
      { type: 'part-end', index: 0 },
      {
        type: 'usage',
        usage: {
          inputTokens: 2112,
          outputTokens: 48,
          cachedInputTokens: 2000,
          cacheCreationTokens: 100,
          reasoningTokens: 0,
        },
      },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('decodes thinking with signature, redacted thinking and streamed parallel tool arguments', () => {
    const events = decodeText(fixture('stream-tool-use.sse'));
    expect(events.filter((event) => event.type !== 'usage' && !event.type.endsWith('delta'))).toEqual([
      { type: 'start', id: 'msg_014p7gG3wDgGV9EUtLvnow3U', model: 'claude-sonnet-4-5-20250929' },
      { type: 'reasoning-start', index: 0 },
      {
        type: 'reasoning-signature',
        index: 0,
        signature:
          'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds2c6Ah4kt5zC1ZnmT6sE2N3Yk5T9UfD2vhbLZd4kT',
      },
      { type: 'part-end', index: 0 },
      {
        type: 'reasoning-start',
        index: 1,
        redactedData: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP',
      },
      { type: 'part-end', index: 1 },
      { type: 'text-start', index: 2 },
      { type: 'part-end', index: 2 },
      { type: 'tool-call-start', index: 3, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather' },
      { type: 'part-end', index: 3 },
      { type: 'tool-call-start', index: 4, id: 'toolu_01U2y2gK45rBnl3uOUsO8Vq7', name: 'get_weather' },
      { type: 'part-end', index: 4 },
      { type: 'finish', reason: 'tool-calls' },
    ]);
    // The empty first input_json_delta carries nothing and is not passed on.
    expect(events.filter((event) => event.type === 'tool-input-delta')).toEqual([
      { type: 'tool-input-delta', index: 3, argumentsDelta: '{"location": "Pa' },
      { type: 'tool-input-delta', index: 3, argumentsDelta: 'ris"}' },
      { type: 'tool-input-delta', index: 4, argumentsDelta: '{"location":' },
      { type: 'tool-input-delta', index: 4, argumentsDelta: ' "Tokyo"}' },
    ]);
    const summary = summarize(events);
    expect(summary.parts[0]).toMatchObject({ kind: 'reasoning', text: 'Two cities, two calls.' });
    expect(summary.parts[2]).toMatchObject({ kind: 'text', text: 'Checking both — 東京 too.' });
    expect(summary.usage).toEqual({
      inputTokens: 2392,
      outputTokens: 189,
      cachedInputTokens: 1800,
      cacheCreationTokens: 120,
      reasoningTokens: 0,
    });
  });

  it.each(['stream.sse', 'stream-tool-use.sse', 'stream-error.sse'])(
    'gives the same events for %s at every split point',
    (name) => {
      const bytes = enc.encode(fixture(name));
      const whole = comparable(decodeStream([bytes]));
      for (let i = 1; i < bytes.length; i++) {
        expect(comparable(decodeStream([bytes.slice(0, i), bytes.slice(i)]))).toEqual(whole);
      }
    },
  );

  it('turns an upstream error event into an error and stops there', () => {
    const events = decodeText(fixture('stream-error.sse'));
    expect(comparable(events.slice(-2))).toEqual([
      { type: 'text-delta', index: 0, text: 'Once upon' },
      { type: 'error', code: 'upstream_error', message: 'Overloaded' },
    ]);
  });

  it('reports a cut stream as an error, but a stream missing only message_stop as finished', () => {
    const text = fixture('stream-tool-use.sse');
    const cut = decodeText(text.slice(0, text.indexOf('event: message_delta')));
    expect(cut.at(-1)?.type).toBe('error');
    expect((cut.at(-1) as { error: GatewayError }).error.code).toBe('upstream_bad_response');
    const almost = decodeText(text.slice(0, text.indexOf('event: message_stop')));
    expect(almost.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' });
  });

  it('skips server tool blocks with a warning and keeps part indices dense', () => {
    const warnings = new TransformWarnings();
    const text = [
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":1}}}\n\n',
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}}\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{}"}}\n\n',
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
      'event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"ok"}}\n\n',
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":1}\n\n',
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":"END"},"usage":{"output_tokens":3}}\n\n',
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    ].join('');
    const events = decodeStream([enc.encode(text)], warnings);
    expect(events.filter((event) => event.type !== 'usage')).toEqual([
      { type: 'start', id: 'msg_1', model: 'm' },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, text: 'ok' },
      { type: 'part-end', index: 0 },
      { type: 'finish', reason: 'stop', stopSequence: 'END' },
    ]);
    expect(warnings.list).toEqual([
      { kind: 'unsupported', field: 'content_block', detail: 'content block type server_tool_use' },
    ]);
  });
});

describe('claude stream encoder', () => {
  it('emits the exact Claude event sequence for a text stream', () => {
    const out = encodeStream(decodeText(fixture('stream.sse')), 'claude');
    const events = sseEventsOf(out);
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(JSON.parse(events[0]!.data)).toEqual({
      type: 'message_start',
      message: {
        id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
        type: 'message',
        role: 'assistant',
        model: 'client-model',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: 0,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 0,
        },
      },
    });
    expect(JSON.parse(events[6]!.data)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: {
        input_tokens: 12,
        cache_creation_input_tokens: 100,
        cache_read_input_tokens: 2000,
        output_tokens: 48,
      },
    });
  });

  it.each(['stream.sse', 'stream-tool-use.sse'])('re-decodes %s to the same meaning', (name) => {
    const original = decodeText(fixture(name));
    const again = decodeText(encodeStream(original, 'claude'));
    const expected = summarize(original);
    expect(summarize(again)).toEqual({ ...expected, start: { ...expected.start, model: 'client-model' } });
  });

  it('keeps Claude thinking native for a Claude upstream', () => {
    const { content } = accumulate(encodeStream(decodeText(fixture('stream-tool-use.sse')), 'claude'));
    expect(content.slice(0, 2)).toEqual([
      {
        type: 'thinking',
        thinking: 'Two cities, two calls.',
        signature:
          'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds2c6Ah4kt5zC1ZnmT6sE2N3Yk5T9UfD2vhbLZd4kT',
      },
      { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP' },
    ]);
  });

  it('ends with the Claude error event on a mid-stream error', () => {
    const out = encodeStream(decodeText(fixture('stream-error.sse')), 'claude');
    const events = sseEventsOf(out);
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'error',
    ]);
    expect(JSON.parse(events[3]!.data)).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'Overloaded', code: 'upstream_error' },
      request_id: 'req_abc',
    });
  });

  it('seals a Gemini stream’s reasoning and tool signatures, and decodeRequest restores them', () => {
    const events: StreamEvent[] = [
      { type: 'start', id: 'resp-gem-1', model: 'gemini-2.5-pro' },
      { type: 'reasoning-start', index: 0 },
      { type: 'reasoning-delta', index: 0, text: 'Weather needs ' },
      { type: 'reasoning-delta', index: 0, text: 'a tool.' },
      { type: 'reasoning-signature', index: 0, signature: 'CiQB0e2Kb3' },
      { type: 'part-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'call_0_1', name: 'get_weather' },
      { type: 'thought-signature', index: 1, signature: 'CjEB0e2K' },
      { type: 'tool-input-delta', index: 1, argumentsDelta: '{"location":"Paris"}' },
      { type: 'part-end', index: 1 },
      // A signature that arrives after its call started still gets carried, after the call.
      { type: 'tool-call-start', index: 2, id: 'call_0_2', name: 'get_weather' },
      { type: 'tool-input-delta', index: 2, argumentsDelta: '{"location":"Rome"}' },
      { type: 'thought-signature', index: 2, signature: 'CjEB0late' },
      { type: 'part-end', index: 2 },
      {
        type: 'usage',
        usage: { inputTokens: 100, outputTokens: 40, cachedInputTokens: 30, reasoningTokens: 20 },
      },
      { type: 'finish', reason: 'tool-calls' },
    ];
    const { content, delta, usage } = accumulate(encodeStream(events, 'gemini'));
    expect(content.map((block) => block['type'])).toEqual([
      'thinking',
      'thinking',
      'tool_use',
      'tool_use',
      'thinking',
    ]);
    expect(content[0]!['thinking']).toBe('Weather needs a tool.');
    expect(
      content.filter((block) => block['type'] === 'thinking').every((block) => isSealed(block['signature'])),
    ).toBe(true);
    expect(delta).toEqual({ stop_reason: 'tool_use', stop_sequence: null });
    expect(usage).toEqual({
      input_tokens: 70,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 30,
      output_tokens: 40,
    });

    const next = claudeCodec.decodeRequest(
      { model: 'client-model', max_tokens: 100, messages: [{ role: 'assistant', content }] },
      { warnings: new TransformWarnings(), path: {} },
    );
    expect(next.messages[0]!.parts).toEqual([
      { type: 'reasoning', text: 'Weather needs a tool.', signature: 'CiQB0e2Kb3', origin: 'gemini' },
      {
        type: 'tool-call',
        id: 'call_0_1',
        name: 'get_weather',
        arguments: '{"location":"Paris"}',
        thoughtSignature: 'CjEB0e2K',
      },
      {
        type: 'tool-call',
        id: 'call_0_2',
        name: 'get_weather',
        arguments: '{"location":"Rome"}',
        thoughtSignature: 'CjEB0late',
      },
    ]);
  });

  it('seals OpenAI Responses reasoning with its encrypted content and item id', () => {
    const events: StreamEvent[] = [
      { type: 'start', id: 'resp_1', model: 'gpt-5' },
      { type: 'reasoning-start', index: 0, itemId: 'rs_1' },
      { type: 'reasoning-delta', index: 0, text: 'summary' },
      { type: 'reasoning-signature', index: 0, encryptedContent: 'gAAAAB' },
      { type: 'part-end', index: 0 },
      { type: 'text-start', index: 1 },
      { type: 'text-delta', index: 1, text: 'Hi' },
      { type: 'part-end', index: 1 },
      { type: 'finish', reason: 'stop' },
    ];
    const { content } = accumulate(encodeStream(events, 'openai-responses'));
    const next = claudeCodec.decodeRequest(
      { model: 'm', max_tokens: 1, messages: [{ role: 'assistant', content }] },
      { warnings: new TransformWarnings(), path: {} },
    );
    expect(next.messages[0]!.parts).toEqual([
      {
        type: 'reasoning',
        text: 'summary',
        itemId: 'rs_1',
        encryptedContent: 'gAAAAB',
        origin: 'openai-responses',
      },
      { type: 'text', text: 'Hi' },
    ]);
  });

  it('closes open blocks at finish and starts the message even without a start event', () => {
    const out = encodeStream(
      [
        { type: 'text-start', index: 0 },
        { type: 'text-delta', index: 0, text: 'cut' },
        { type: 'finish', reason: 'length' },
      ],
      'openai-chat',
    );
    const events = sseEventsOf(out);
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect((JSON.parse(events[0]!.data) as { message: { id: string } }).message.id).toBe('msg_req_abc');
    expect((JSON.parse(events[4]!.data) as { delta: unknown }).delta).toEqual({
      stop_reason: 'max_tokens',
      stop_sequence: null,
    });
  });
});
