import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors';
import { aggregateStream } from './aggregate';
import type { CanonicalResponse } from './response';
import { synthesizeStream } from './synthesize';

const response: CanonicalResponse = {
  id: 'msg_1',
  model: 'm',
  created: 1700000000,
  parts: [
    { type: 'reasoning', text: 'Think.', signature: 'sig' },
    { type: 'text', text: 'Hello' },
    {
      type: 'tool-call',
      id: 'call_1',
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
      thoughtSignature: 'ts',
    },
  ],
  finishReason: 'tool-calls',
  usage: {
    inputTokens: 10,
    outputTokens: 5,
    cachedInputTokens: 2,
    cacheCreationTokens: 0,
    reasoningTokens: 1,
  },
};

describe('synthesizeStream and aggregateStream', () => {
  it('are inverse: a response survives response -> events -> response', () => {
    const events = synthesizeStream(response);
    expect(events[0]).toMatchObject({ type: 'start', id: 'msg_1' });
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls', stopSequence: undefined });
    const back = aggregateStream(events);
    expect(back.parts).toEqual([
      { type: 'reasoning', text: 'Think.', signature: 'sig' },
      { type: 'text', text: 'Hello' },
      response.parts[2],
    ]);
    expect(back.usage).toEqual(response.usage);
    expect(back.finishReason).toBe('tool-calls');
  });

  it('joins deltas and merges usage updates field by field', () => {
    const back = aggregateStream([
      { type: 'start', id: 'r', model: 'm' },
      { type: 'usage', usage: { inputTokens: 7 } },
      { type: 'tool-call-start', index: 0, id: 'c', name: 'f' },
      { type: 'tool-input-delta', index: 0, argumentsDelta: '{"a"' },
      { type: 'tool-input-delta', index: 0, argumentsDelta: ':1}' },
      { type: 'part-end', index: 0 },
      { type: 'usage', usage: { outputTokens: 3 } },
      { type: 'finish', reason: 'tool-calls' },
    ]);
    expect(back.parts).toEqual([{ type: 'tool-call', id: 'c', name: 'f', arguments: '{"a":1}' }]);
    expect(back.usage).toMatchObject({ inputTokens: 7, outputTokens: 3 });
  });

  it('fails on a stream that errored or never finished', () => {
    const error = new GatewayError('upstream_error', 'boom');
    expect(() =>
      aggregateStream([
        { type: 'start', id: 'r', model: 'm' },
        { type: 'error', error },
      ]),
    ).toThrow('boom');
    expect(() => aggregateStream([{ type: 'start', id: 'r', model: 'm' }])).toThrow(/without finishing/);
  });
});
