import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeResponseContext } from '../../../../canonical/codec-test-support';
import { isSealed, unseal } from '../../../../canonical/opaque';
import type { CanonicalResponse } from '../../../../canonical/response';
import { TransformWarnings } from '../../../../canonical/warnings';
import { claudeCodec } from '../../../claude/generate-content/codec';
import { geminiCodec } from '../../../gemini/generate-content/codec';
import { openAiChatCodec } from '../../../openai-chat/generate-content/codec';
import { bedrockConverseCodec } from './index';

/** Client answers are checked as the raw JSON a client reads. */
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8')) as unknown;

const decode = (body: unknown): CanonicalResponse =>
  bedrockConverseCodec.decodeResponse(body, { warnings: new TransformWarnings() });

const context = encodeResponseContext({
  sourceWire: 'bedrock-converse',
  requestId: 'req_br1',
  nowSeconds: 1_760_000_000,
});

describe('bedrock-converse decodeResponse', () => {
  it('reads the message, stop reason and usage (cache reads counted into input)', () => {
    expect(decode(fixture('response.json'))).toEqual({
      id: '',
      model: '',
      parts: [{ type: 'text', text: 'Paris is the capital of France.' }],
      finishReason: 'stop',
      usage: {
        inputTokens: 1218,
        outputTokens: 9,
        cachedInputTokens: 1200,
        cacheCreationTokens: 0,
        reasoningTokens: 0,
      },
    });
  });

  it('reads signed reasoning, text and parallel tool calls', () => {
    const response = decode(fixture('response-tool-use.json'));
    expect(response.parts).toEqual([
      {
        type: 'reasoning',
        text: 'The user wants the weather in two cities; I will call the tool for each.',
        origin: 'bedrock-converse',
        signature: 'EqQBCkgIBhABGAIiQKm2converse-signature-0001',
      },
      { type: 'text', text: 'Let me check both cities.' },
      {
        type: 'tool-call',
        id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
        name: 'get_weather',
        arguments: '{"city":"Paris","unit":"c"}',
      },
      {
        type: 'tool-call',
        id: 'tooluse_8nUeBm2dS0O1Wg3Kx2cYdA',
        name: 'get_weather',
        arguments: '{"city":"Berlin","unit":"c"}',
      },
    ]);
    expect(response.finishReason).toBe('tool-calls');
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool-calls'],
    ['guardrail_intervened', 'content-filter'],
    ['content_filtered', 'content-filter'],
    ['malformed_tool_use', 'error'],
  ])('maps stopReason %s to %s', (stopReason, finish) => {
    const body = { output: { message: { role: 'assistant', content: [{ text: 'x' }] } }, stopReason };
    expect(decode(body).finishReason).toBe(finish);
  });

  it('refuses a body without output.message.content', () => {
    expect(() => decode({ message: 'Malformed input request' })).toThrow('Malformed input request');
    expect(() => decode({ output: {} })).toThrow(/without output\.message\.content/);
  });
});

describe('a Converse answer converted for each client wire', () => {
  const answer = () => decode(fixture('response-tool-use.json'));

  it('OpenAI Chat: tool_calls, finish_reason tool_calls, prompt_tokens with cache', () => {
    const chat = openAiChatCodec.encodeResponse(answer(), context) as Json;
    const message = chat.choices[0].message;
    expect(message.content).toBe('Let me check both cities.');
    expect(message.reasoning_content).toBe(
      'The user wants the weather in two cities; I will call the tool for each.',
    );
    expect(message.tool_calls).toEqual([
      {
        id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' },
      },
      {
        id: 'tooluse_8nUeBm2dS0O1Wg3Kx2cYdA',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Berlin","unit":"c"}' },
      },
    ]);
    expect(chat.choices[0].finish_reason).toBe('tool_calls');
    expect(chat.usage).toMatchObject({ prompt_tokens: 412, completion_tokens: 138, total_tokens: 550 });

    const cached = openAiChatCodec.encodeResponse(decode(fixture('response.json')), context) as Json;
    expect(cached.usage).toMatchObject({
      prompt_tokens: 1218,
      prompt_tokens_details: { cached_tokens: 1200 },
    });
  });

  it('Claude: the reasoning sealed into a thinking signature, tool_use blocks, stop_reason tool_use', () => {
    const claude = claudeCodec.encodeResponse(answer(), context) as Json;
    expect(claude.stop_reason).toBe('tool_use');
    expect(claude.content.map((block: { type: string }) => block.type)).toEqual([
      'thinking',
      'text',
      'tool_use',
      'tool_use',
    ]);
    expect(claude.content[2]).toEqual({
      type: 'tool_use',
      id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
      name: 'get_weather',
      input: { city: 'Paris', unit: 'c' },
    });
    const signature = claude.content[0].signature as string;
    expect(isSealed(signature)).toBe(true);
    expect(unseal(signature)).toMatchObject({
      t: 'reasoning',
      parts: [{ origin: 'bedrock-converse', signature: 'EqQBCkgIBhABGAIiQKm2converse-signature-0001' }],
    });
    const usage = claudeCodec.encodeResponse(decode(fixture('response.json')), context) as Json;
    expect(usage.usage).toEqual({
      input_tokens: 18,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 1200,
      output_tokens: 9,
    });
  });

  it('Gemini: functionCall parts, finishReason STOP, usageMetadata', () => {
    const gemini = geminiCodec.encodeResponse(answer(), context) as Json;
    const parts = gemini.candidates[0].content.parts;
    expect(
      parts
        .filter((part: { functionCall?: unknown }) => part.functionCall)
        .map((part: Json) => part.functionCall),
    ).toEqual([
      { id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather', args: { city: 'Paris', unit: 'c' } },
      { id: 'tooluse_8nUeBm2dS0O1Wg3Kx2cYdA', name: 'get_weather', args: { city: 'Berlin', unit: 'c' } },
    ]);
    expect(parts.some((part: { text?: string }) => part.text === 'Let me check both cities.')).toBe(true);
    expect(gemini.candidates[0].finishReason).toBe('STOP');
    expect(gemini.usageMetadata).toMatchObject({ promptTokenCount: 412, candidatesTokenCount: 138 });
  });
});
