import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../../core/errors';
import type { EncodeResponseContext } from '../../../../canonical/codec';
import { encodeResponseContext } from '../../../../canonical/codec-test-support';
import { isSealed } from '../../../../canonical/opaque';
import type { CanonicalResponse, FinishReason } from '../../../../canonical/response';
import { TransformWarnings } from '../../../../canonical/warnings';
import type { WireKind } from '../../../../operation';
import { claudeCodec } from './index';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8')) as Record<
    string,
    unknown
  >;

const decode = (body: unknown): CanonicalResponse =>
  claudeCodec.decodeResponse(body, { warnings: new TransformWarnings() });

function context(sourceWire: WireKind = 'claude', warnings = new TransformWarnings()): EncodeResponseContext {
  return encodeResponseContext({ warnings, sourceWire, requestId: 'req_abc', nowSeconds: 1_760_000_000 });
}

describe('claude decodeResponse', () => {
  it('decodes a plain text answer with cache usage', () => {
    expect(decode(fixture('response.json'))).toEqual({
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      model: 'claude-sonnet-4-20250514',
      parts: [{ type: 'text', text: 'Bonjour! 👋 "Hello".' }],
      finishReason: 'stop',
      usage: {
        inputTokens: 2112,
        outputTokens: 48,
        cachedInputTokens: 2000,
        cacheCreationTokens: 100,
        reasoningTokens: 0,
      },
    });
  });

  it('decodes thinking, redacted thinking and parallel tool calls', () => {
    expect(decode(fixture('response-tool-use.json'))).toEqual({
      id: 'msg_01Aq9w938a90dw8q',
      model: 'claude-sonnet-4-5-20250929',
      parts: [
        {
          type: 'reasoning',
          text: 'The user wants the weather in two cities; I can call the tool twice in parallel.',
          signature: 'EuYBCkQYAiJAgCs1le6/Pol5Z4/JMomVOouGrWdhYNsH3ukzUECbB6iWrSQtsQuRHJID6lWV',
          origin: 'claude',
        },
        {
          type: 'reasoning',
          text: '',
          redactedData: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP',
          origin: 'claude',
        },
        { type: 'text', text: "I'll check both cities." },
        {
          type: 'tool-call',
          id: 'toolu_01A09q90qw90lq917835lq9',
          name: 'get_weather',
          arguments: '{"location":"Paris"}',
        },
        {
          type: 'tool-call',
          id: 'toolu_01B19q90qw90lq917835lq9',
          name: 'get_weather',
          arguments: '{"location":"Tokyo","unit":"celsius"}',
        },
      ],
      finishReason: 'tool-calls',
      usage: {
        inputTokens: 2272,
        outputTokens: 191,
        cachedInputTokens: 1800,
        cacheCreationTokens: 0,
        reasoningTokens: 0,
      },
    });
  });

  it('decodes a refusal, and null cache counts as zero', () => {
    const response = decode(fixture('response-refusal.json'));
    expect(response.finishReason).toBe('refusal');
    expect(response.parts).toEqual([{ type: 'text', text: "I can't help with that." }]);
    expect(response.usage).toEqual({
      inputTokens: 35,
      outputTokens: 9,
      cachedInputTokens: 0,
      cacheCreationTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('turns an error body into an upstream error', () => {
    expect(() => decode(fixture('error.json'))).toThrow(GatewayError);
    try {
      decode(fixture('error.json'));
    } catch (error) {
      expect((error as GatewayError).code).toBe('upstream_error');
      expect((error as GatewayError).message).toBe('Overloaded');
    }
    expect(() => decode({ id: 'msg_1' })).toThrow(/content array/);
  });

  it('warns about server tool blocks it cannot carry', () => {
    const warnings = new TransformWarnings();
    const response = claudeCodec.decodeResponse(
      {
        ...fixture('response.json'),
        content: [
          { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
          { type: 'text', text: 'Done' },
        ],
      },
      { warnings },
    );
    expect(response.parts).toEqual([{ type: 'text', text: 'Done' }]);
    expect(warnings.list).toEqual([
      { kind: 'unsupported', field: 'content[0]', detail: 'content block type server_tool_use' },
    ]);
  });
});

describe('claude stop reasons', () => {
  const WIRE_TO_CANONICAL: [string, FinishReason][] = [
    ['end_turn', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool-calls'],
    ['refusal', 'refusal'],
    ['pause_turn', 'pause'],
    ['model_context_window_exceeded', 'length'],
  ];
  it.each(WIRE_TO_CANONICAL)('%s decodes to %s', (wire, canonical) => {
    expect(decode({ ...fixture('response.json'), stop_reason: wire }).finishReason).toBe(canonical);
  });

  it('keeps the stop sequence that ended the answer', () => {
    const response = decode({
      ...fixture('response.json'),
      stop_reason: 'stop_sequence',
      stop_sequence: '###',
    });
    expect(response.finishReason).toBe('stop');
    expect(response.stopSequence).toBe('###');
    const body = claudeCodec.encodeResponse(response, context());
    expect([body['stop_reason'], body['stop_sequence']]).toEqual(['stop_sequence', '###']);
  });

  const CANONICAL_TO_WIRE: [FinishReason, string][] = [
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool-calls', 'tool_use'],
    ['refusal', 'refusal'],
    ['pause', 'pause_turn'],
    ['content-filter', 'refusal'],
    ['error', 'end_turn'],
  ];
  it.each(CANONICAL_TO_WIRE)('%s encodes to %s', (canonical, wire) => {
    const body = claudeCodec.encodeResponse(
      { id: 'x', model: 'm', parts: [], finishReason: canonical },
      context('openai-chat'),
    );
    expect(body['stop_reason']).toBe(wire);
    expect(body['stop_sequence']).toBeNull();
  });
});

describe('claude encodeResponse', () => {
  it.each(['response.json', 'response-tool-use.json', 'response-refusal.json'])(
    'round-trips %s through the canonical model',
    (name) => {
      const source = fixture(name);
      const canonical = decode(source);
      const body = claudeCodec.encodeResponse(canonical, context());
      expect(body['id']).toBe(source['id']);
      expect(body['model']).toBe('client-model');
      expect(decode(body)).toEqual({ ...canonical, model: 'client-model' });
    },
  );

  it('encodes usage in Claude semantics (input without cache reads and writes)', () => {
    const body = claudeCodec.encodeResponse(decode(fixture('response.json')), context());
    expect(body['usage']).toEqual({
      input_tokens: 12,
      cache_creation_input_tokens: 100,
      cache_read_input_tokens: 2000,
      output_tokens: 48,
    });
  });

  it('makes a Claude-shaped id when the upstream id has another shape', () => {
    const body = claudeCodec.encodeResponse(
      { id: 'chatcmpl-123', model: 'gpt', parts: [{ type: 'text', text: 'hi' }], finishReason: 'stop' },
      context('openai-chat'),
    );
    expect(body).toEqual({
      id: 'msg_req_abc',
      type: 'message',
      role: 'assistant',
      model: 'client-model',
      content: [{ type: 'text', text: 'hi' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 0,
      },
    });
  });

  it('seals foreign reasoning and Gemini tool signatures, and decodeRequest restores them', () => {
    const response: CanonicalResponse = {
      id: 'resp_1',
      model: 'gemini-2.5-pro',
      parts: [
        { type: 'reasoning', text: 'Thinking about weather', signature: 'CiQB0e2Kb3', origin: 'gemini' },
        { type: 'text', text: 'Calling.' },
        {
          type: 'tool-call',
          id: 'call_0_2',
          name: 'get_weather',
          arguments: '{"location":"Paris"}',
          thoughtSignature: 'CjEB0e2K',
        },
      ],
      finishReason: 'tool-calls',
    };
    const body = claudeCodec.encodeResponse(response, context('gemini'));
    const content = body['content'] as Record<string, unknown>[];
    expect(content.map((block) => block['type'])).toEqual(['thinking', 'text', 'thinking', 'tool_use']);
    expect(content[0]!['thinking']).toBe('Thinking about weather');
    expect(isSealed(content[0]!['signature'])).toBe(true);
    expect(content[2]!['thinking']).toBe('');
    expect(isSealed(content[2]!['signature'])).toBe(true);

    // The Claude client sends the assistant turn back as it got it.
    const next = claudeCodec.decodeRequest(
      {
        model: 'client-model',
        max_tokens: 100,
        messages: [
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', content },
        ],
      },
      { warnings: new TransformWarnings(), path: {} },
    );
    expect(next.messages[1]!.parts).toEqual(response.parts);
  });

  it('seals reasoning of an upstream without opaque state so it never passes for Claude thinking', () => {
    const body = claudeCodec.encodeResponse(
      { id: 'x', model: 'm', parts: [{ type: 'reasoning', text: 'chain' }], finishReason: 'stop' },
      context('openai-chat'),
    );
    const block = (body['content'] as Record<string, unknown>[])[0]!;
    const next = claudeCodec.decodeRequest(
      { model: 'm', max_tokens: 1, messages: [{ role: 'assistant', content: [block] }] },
      { warnings: new TransformWarnings(), path: {} },
    );
    expect(next.messages[0]!.parts).toEqual([{ type: 'reasoning', text: 'chain', origin: 'openai-chat' }]);
  });
});
