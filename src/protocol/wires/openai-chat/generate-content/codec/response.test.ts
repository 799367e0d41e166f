import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../../core/errors';
import type { EncodeResponseContext } from '../../../../canonical/codec';
import type { CanonicalResponse, FinishReason } from '../../../../canonical/response';
import { encodeResponseContext, warningFields as fields } from '../../../../canonical/codec-test-support';
import { TransformWarnings } from '../../../../canonical/warnings';
import { openAiChatCodec } from './index';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8')) as Record<
    string,
    unknown
  >;

function decode(body: unknown): { response: CanonicalResponse; warnings: TransformWarnings } {
  const warnings = new TransformWarnings();
  return { response: openAiChatCodec.decodeResponse(body, { warnings }), warnings };
}

function encodeContext(warnings = new TransformWarnings()): EncodeResponseContext {
  return encodeResponseContext({ warnings, sourceWire: 'openai-chat', nowSeconds: 1700000000 });
}

describe('openAiChatCodec.decodeResponse', () => {
  it('decodes plain text with cached-token usage', () => {
    expect(decode(fixture('response.json')).response).toEqual({
      id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
      model: 'gpt-4o-2024-08-06',
      created: 1741570283,
      parts: [{ type: 'text', text: 'Les fleurs 🌸 sont "belles".' }],
      finishReason: 'stop',
      usage: {
        inputTokens: 1117,
        outputTokens: 46,
        cachedInputTokens: 1024,
        cacheCreationTokens: 0,
        reasoningTokens: 0,
      },
    } satisfies CanonicalResponse);
  });

  it('decodes parallel tool calls', () => {
    const { response } = decode(fixture('response-tool-calls.json'));
    expect(response.parts).toEqual([
      {
        type: 'tool-call',
        id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA',
        name: 'get_weather',
        arguments: '{"city":"Paris"}',
      },
      {
        type: 'tool-call',
        id: 'call_ABaf2vbyXzWyjs0yd1vHn9iI',
        name: 'get_weather',
        arguments: '{"city":"Tokyo"}',
      },
    ]);
    expect(response.finishReason).toBe('tool-calls');
  });

  it('decodes a refusal as refusal text with the refusal finish reason', () => {
    const { response } = decode(fixture('response-refusal.json'));
    expect(response.parts).toEqual([
      { type: 'text', text: "I'm sorry, I cannot assist with that request.", refusal: true },
    ]);
    expect(response.finishReason).toBe('refusal');
    expect(response.usage).toEqual({
      inputTokens: 81,
      outputTokens: 11,
      cachedInputTokens: 0,
      cacheCreationTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('decodes reasoning_content, JSON text, length, reasoning and cache usage, and warns about extra choices', () => {
    const { response, warnings } = decode(fixture('response-reasoning.json'));
    expect(response.parts).toEqual([
      { type: 'reasoning', text: 'The user wants JSON with three colors. Primary colors work.' },
      { type: 'text', text: '{"colors":["red","green","blue"]}' },
    ]);
    expect(response.finishReason).toBe('length');
    expect(response.usage).toEqual({
      inputTokens: 1200,
      outputTokens: 340,
      cachedInputTokens: 1024,
      cacheCreationTokens: 100,
      reasoningTokens: 300,
    });
    expect(fields(warnings)).toEqual(['dropped:choices[1]']);
  });

  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool-calls'],
    ['function_call', 'tool-calls'],
    ['content_filter', 'content-filter'],
    ['eos', 'stop'],
    [null, 'stop'],
  ])('maps finish_reason %s to %s', (wire, canonical) => {
    const body = fixture('response.json');
    (body['choices'] as Array<Record<string, unknown>>)[0]!['finish_reason'] = wire;
    expect(decode(body).response.finishReason).toBe(canonical);
  });

  it('reads a stop with tool calls (lax compatible upstreams) as tool-calls', () => {
    const body = fixture('response-tool-calls.json');
    (body['choices'] as Array<Record<string, unknown>>)[0]!['finish_reason'] = 'stop';
    expect(decode(body).response.finishReason).toBe('tool-calls');
  });

  it('throws the upstream error of an error body, and upstream_bad_response for an answer without choices', () => {
    expect(() => decode(fixture('error.json'))).toThrow(GatewayError);
    try {
      decode(fixture('error.json'));
    } catch (error) {
      expect((error as GatewayError).code).toBe('upstream_error');
      expect((error as GatewayError).message).toMatch(/^Rate limit reached/);
    }
    expect(() => decode({ id: 'x', choices: [] })).toThrow(/no choices/);
    expect(() => decode('nope')).toThrow(GatewayError);
  });
});

describe('openAiChatCodec.encodeResponse', () => {
  it.each(['response.json', 'response-tool-calls.json', 'response-refusal.json', 'response-reasoning.json'])(
    'round-trips %s through decode -> encode -> decode',
    (name) => {
      const { response } = decode(fixture(name));
      const encoded = openAiChatCodec.encodeResponse(response, encodeContext());
      const again = decode(encoded).response;
      // Ids not in the chatcmpl- shape (DeepSeek's UUIDs) are replaced by one made from the request id.
      expect(again.id).toBe(response.id.startsWith('chatcmpl-') ? response.id : 'chatcmpl-req_1');
      expect(again.model).toBe('client-model');
      expect({ ...again, id: response.id, model: response.model }).toEqual(response);
    },
  );

  it('encodes the exact chat.completion shape', () => {
    const { response } = decode(fixture('response.json'));
    const original = fixture('response.json');
    const encoded = openAiChatCodec.encodeResponse(response, encodeContext());
    const { service_tier: _tier, system_fingerprint: _fp, ...rest } = original;
    const usage = rest['usage'] as Record<string, unknown>;
    expect(encoded).toEqual({
      ...rest,
      model: 'client-model',
      usage: {
        prompt_tokens: usage['prompt_tokens'],
        completion_tokens: usage['completion_tokens'],
        total_tokens: usage['total_tokens'],
        prompt_tokens_details: { cached_tokens: 1024 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
  });

  it('makes a chatcmpl id from the request id for foreign ids, and uses now for a missing created', () => {
    const encoded = openAiChatCodec.encodeResponse(
      { id: 'msg_01XFDUDYJgAACzvnptvVoYEL', model: 'claude', parts: [], finishReason: 'stop' },
      encodeContext(),
    );
    expect(encoded['id']).toBe('chatcmpl-req_1');
    expect(encoded['created']).toBe(1700000000);
    expect(encoded['usage']).toBeUndefined();
  });

  it.each<[FinishReason, string]>([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool-calls', 'tool_calls'],
    ['content-filter', 'content_filter'],
    ['refusal', 'stop'],
    ['pause', 'stop'],
    ['error', 'stop'],
  ])('encodes finish reason %s as %s', (reason, wire) => {
    const encoded = openAiChatCodec.encodeResponse(
      { id: 'x', model: 'm', parts: [], finishReason: reason },
      encodeContext(),
    );
    expect((encoded['choices'] as Array<Record<string, unknown>>)[0]!['finish_reason']).toBe(wire);
  });

  it('encodes foreign reasoning as reasoning_content and reports the opaque state it cannot carry', () => {
    const warnings = new TransformWarnings();
    const encoded = openAiChatCodec.encodeResponse(
      {
        id: 'msg_1',
        model: 'claude-sonnet-4-5',
        parts: [
          { type: 'reasoning', text: 'Let me think.', origin: 'claude', signature: 'EqQBCgIYAhIM' },
          { type: 'reasoning', text: '', origin: 'claude', redactedData: 'EmwKAhgBEgy3va3pzix' },
          { type: 'text', text: 'Calling.' },
          { type: 'tool-call', id: 'toolu_1', name: 'f', arguments: '{"a":1}' },
        ],
        finishReason: 'tool-calls',
        usage: {
          inputTokens: 2112,
          outputTokens: 48,
          cachedInputTokens: 2000,
          cacheCreationTokens: 100,
          reasoningTokens: 0,
        },
      },
      { ...encodeContext(warnings), sourceWire: 'claude' },
    );
    expect(encoded['choices']).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: 'Calling.',
          refusal: null,
          reasoning_content: 'Let me think.',
          tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
          annotations: [],
        },
        logprobs: null,
        finish_reason: 'tool_calls',
      },
    ]);
    expect(encoded['usage']).toEqual({
      prompt_tokens: 2112,
      completion_tokens: 48,
      total_tokens: 2160,
      prompt_tokens_details: { cached_tokens: 2000, cache_write_tokens: 100 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(fields(warnings)).toEqual(['dropped:reasoning.signature', 'dropped:reasoning.redacted']);
  });
});
