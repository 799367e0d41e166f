import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  comparableEvents,
  cutAt,
  decodeSseChunks,
  type ComparableEvent as Comparable,
} from '../../../../canonical/codec-test-support';
import { TransformWarnings } from '../../../../canonical/warnings';
import { openAiResponsesCodec } from './index';

const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8');
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Decodes SSE bytes cut into chunks at the given offsets. */
function decodeChunks(data: Uint8Array, cuts: number[], warnings = new TransformWarnings()): Comparable[] {
  return comparableEvents(decodeSseChunks(openAiResponsesCodec, cutAt(data, cuts), warnings));
}

/** Responses SSE text from event objects, numbered as the API numbers them. */
function sse(events: Record<string, unknown>[]): string {
  return events
    .map((event, index) => {
      const data = { ...event, sequence_number: index };
      return `event: ${String(event['type'])}\ndata: ${JSON.stringify(data)}\n\n`;
    })
    .join('');
}

const usage = (input: number, output: number, cached: number, reasoning: number) => ({
  inputTokens: input,
  outputTokens: output,
  cachedInputTokens: cached,
  cacheCreationTokens: 0,
  reasoningTokens: reasoning,
});

const EXPECTED: Record<string, Comparable[]> = {
  'stream.sse': [
    {
      type: 'start',
      id: 'resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41',
      model: 'o4-mini-2025-04-16',
      created: 1741476777,
    },
    { type: 'text-start', index: 0 },
    { type: 'text-delta', index: 0, text: 'Hi' },
    { type: 'text-delta', index: 0, text: ' there' },
    { type: 'text-delta', index: 0, text: ' —' },
    { type: 'text-delta', index: 0, text: ' ça' },
    { type: 'text-delta', index: 0, text: ' va?' },
    { type: 'part-end', index: 0 },
    { type: 'usage', usage: usage(328, 52, 256, 32) },
    { type: 'finish', reason: 'stop' },
  ],
  'stream-tool-calls.sse': [
    {
      type: 'start',
      id: 'resp_6820f382ee1c8191bc096bee70894d040ac5ba57aafcbac7',
      model: 'o4-mini-2025-04-16',
      created: 1746989954,
    },
    { type: 'reasoning-start', index: 0, itemId: 'rs_6820f383d7c08191846711c5df8233bc0ac5ba57aafcbac7' },
    { type: 'reasoning-delta', index: 0, text: '**Checking' },
    { type: 'reasoning-delta', index: 0, text: ' two cities**' },
    { type: 'reasoning-delta', index: 0, text: '\n\n' },
    { type: 'reasoning-delta', index: 0, text: 'I will call ' },
    { type: 'reasoning-delta', index: 0, text: 'get_weather twice.' },
    {
      type: 'reasoning-signature',
      index: 0,
      encryptedContent: 'gAAAAABoIPOE6rkd7wn1B0sznqs5YNLryEptsRlAazu2m2lAH9ig06jNVzBg3Zzj1KNJv0vQ8wzH6A==',
    },
    { type: 'part-end', index: 0 },
    { type: 'tool-call-start', index: 1, id: 'call_a1', name: 'get_weather' },
    { type: 'tool-input-delta', index: 1, argumentsDelta: '{"city":' },
    { type: 'tool-input-delta', index: 1, argumentsDelta: '"Paris"}' },
    { type: 'part-end', index: 1 },
    { type: 'tool-call-start', index: 2, id: 'call_b2', name: 'get_weather' },
    { type: 'tool-input-delta', index: 2, argumentsDelta: '{"ci' },
    { type: 'tool-input-delta', index: 2, argumentsDelta: 'ty":"Rome"}' },
    { type: 'part-end', index: 2 },
    { type: 'usage', usage: usage(1200, 310, 1024, 256) },
    { type: 'finish', reason: 'tool-calls' },
  ],
  'stream-error.sse': [
    {
      type: 'start',
      id: 'resp_682110791b2c8191a0b1c2d3e4f5a6b70c1d2e3f4a5b6c7d',
      model: 'o4-mini-2025-04-16',
      created: 1746989954,
    },
    { type: 'text-start', index: 0 },
    { type: 'text-delta', index: 0, text: 'The answer is' },
    {
      type: 'error',
      code: 'upstream_error',
      message: 'The server had an error while processing your request. Sorry about that!',
    },
  ],
};

describe('openai-responses stream decoder', () => {
  it.each(Object.keys(EXPECTED))('decodes %s', (name) => {
    expect(decodeChunks(bytes(fixture(name)), [])).toEqual(EXPECTED[name]);
  });

  it.each(Object.keys(EXPECTED))('decodes %s the same at every split point', (name) => {
    const data = bytes(fixture(name));
    const expected = EXPECTED[name];
    for (let cut = 1; cut < data.length; cut++) {
      const events = decodeChunks(data, [cut]);
      if (JSON.stringify(events) !== JSON.stringify(expected))
        expect({ cut, events }).toEqual({ cut, events: expected });
    }
  });

  it('decodes byte by byte', () => {
    const data = bytes(fixture('stream-tool-calls.sse'));
    const cuts = Array.from({ length: data.length - 1 }, (_, i) => i + 1);
    expect(decodeChunks(data, cuts)).toEqual(EXPECTED['stream-tool-calls.sse']);
  });

  it('reports a stream cut before response.completed', () => {
    const text = fixture('stream.sse');
    const cut = text.slice(0, text.indexOf('event: response.completed'));
    expect(decodeChunks(bytes(cut), []).slice(-2)).toEqual([
      { type: 'part-end', index: 0 },
      {
        type: 'error',
        code: 'upstream_error',
        message: 'The upstream stream ended before the response was complete',
      },
    ]);
  });

  it('reads items that arrive only whole, in output_item.done', () => {
    const events = decodeChunks(
      bytes(
        sse([
          { type: 'response.created', response: { id: 'resp_x', model: 'm', created_at: 1, output: [] } },
          {
            type: 'response.output_item.done',
            output_index: 0,
            item: {
              id: 'rs_1',
              type: 'reasoning',
              summary: [],
              content: [{ type: 'reasoning_text', text: 'raw thought' }],
            },
          },
          {
            type: 'response.output_item.done',
            output_index: 1,
            item: {
              id: 'msg_1',
              type: 'message',
              role: 'assistant',
              content: [{ type: 'output_text', text: 'Hello' }],
            },
          },
          {
            type: 'response.output_item.done',
            output_index: 2,
            item: { id: 'fc_1', type: 'function_call', call_id: 'c1', name: 'f', arguments: '{"a":1}' },
          },
          { type: 'response.completed', response: { id: 'resp_x', status: 'completed', output: [] } },
        ]),
      ),
      [],
    );
    expect(events).toEqual([
      { type: 'start', id: 'resp_x', model: 'm', created: 1 },
      { type: 'reasoning-start', index: 0, itemId: 'rs_1' },
      { type: 'reasoning-delta', index: 0, text: 'raw thought' },
      { type: 'part-end', index: 0 },
      { type: 'text-start', index: 1 },
      { type: 'text-delta', index: 1, text: 'Hello' },
      { type: 'part-end', index: 1 },
      { type: 'tool-call-start', index: 2, id: 'c1', name: 'f' },
      { type: 'tool-input-delta', index: 2, argumentsDelta: '{"a":1}' },
      { type: 'part-end', index: 2 },
      { type: 'finish', reason: 'tool-calls' },
    ]);
  });

  it('decodes refusals, truncation, content filtering and failures', () => {
    const head = [
      { type: 'response.created', response: { id: 'resp_r', model: 'gpt-4o', created_at: 2 } },
      {
        type: 'response.output_item.added',
        output_index: 0,
        item: { id: 'msg_r', type: 'message', content: [] },
      },
      {
        type: 'response.content_part.added',
        item_id: 'msg_r',
        output_index: 0,
        content_index: 0,
        part: { type: 'refusal', refusal: '' },
      },
      { type: 'response.refusal.delta', item_id: 'msg_r', output_index: 0, content_index: 0, delta: 'No.' },
      { type: 'response.refusal.done', item_id: 'msg_r', output_index: 0, content_index: 0, refusal: 'No.' },
    ];
    const warnings = new TransformWarnings();
    const ending = (response: Record<string, unknown>, type = 'response.incomplete') =>
      decodeChunks(bytes(sse([...head, { type, response }])), [], warnings).slice(1);
    expect(ending({ status: 'completed' }, 'response.completed')).toEqual([
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, text: 'No.' },
      { type: 'part-end', index: 0 },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(warnings.list.map((w) => `${w.kind}=${w.field}`)).toEqual(['approximated=refusal']);
    expect(
      ending({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }).at(-1),
    ).toEqual({
      type: 'finish',
      reason: 'length',
    });
    expect(ending({ status: 'incomplete', incomplete_details: { reason: 'content_filter' } }).at(-1)).toEqual(
      {
        type: 'finish',
        reason: 'content-filter',
      },
    );
    expect(
      ending({ status: 'failed', error: { code: 'server_error', message: 'boom' } }, 'response.failed').at(
        -1,
      ),
    ).toEqual({
      type: 'error',
      code: 'upstream_error',
      message: 'boom',
    });
  });

  it('ignores pings, unknown events and anything after the end', () => {
    const text =
      ': keep-alive\n\n' +
      sse([
        { type: 'response.created', response: { id: 'resp_p', model: 'm' } },
        { type: 'response.web_search_call.searching', output_index: 0, item_id: 'ws_1' },
        { type: 'keepalive' },
        { type: 'response.completed', response: { status: 'completed' } },
        { type: 'response.output_text.delta', output_index: 0, content_index: 0, delta: 'late' },
      ]) +
      'data: [DONE]\n\n';
    expect(decodeChunks(bytes(text), [])).toEqual([
      { type: 'start', id: 'resp_p', model: 'm' },
      { type: 'finish', reason: 'stop' },
    ]);
  });
});
