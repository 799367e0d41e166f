import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GatewayError } from '../../../../../core/errors';
import type { EncodeResponseContext } from '../../../../canonical/codec';
import { encodeResponseContext } from '../../../../canonical/codec-test-support';
import type { CanonicalResponse, FinishReason } from '../../../../canonical/response';
import { TransformWarnings } from '../../../../canonical/warnings';
import { geminiCodec } from './index';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8')) as Record<
    string,
    unknown
  >;

function decode(body: unknown) {
  const warnings = new TransformWarnings();
  return { response: geminiCodec.decodeResponse(body, { warnings }), warnings: warnings.list };
}

function encodeContext(overrides: Partial<EncodeResponseContext> = {}): EncodeResponseContext {
  return encodeResponseContext({ sourceWire: 'gemini', nowSeconds: 1_700_000_000, ...overrides });
}

const candidateWith = (finishReason: string, parts: unknown[] = [{ text: 'x' }]) => ({
  candidates: [{ content: { role: 'model', parts }, finishReason, index: 0 }],
});

describe('gemini decodeResponse', () => {
  it('decodes text, ids and usage with cached and thought tokens', () => {
    const { response } = decode(fixture('response.json'));
    expect(response).toEqual<CanonicalResponse>({
      id: 'mBCDaMW3Jt6Sz7IPq8rpgQE',
      model: 'gemini-2.5-flash',
      parts: [{ type: 'text', text: 'Brackets ] } [ { and "quotes" — ok 🚀' }],
      finishReason: 'stop',
      usage: {
        inputTokens: 20,
        outputTokens: 55,
        cachedInputTokens: 8,
        cacheCreationTokens: 0,
        reasoningTokens: 25,
      },
    });
  });

  it('decodes parallel function calls with generated ids as tool-calls', () => {
    const { response } = decode(fixture('response-tool-calls.json'));
    expect(response.parts).toEqual([
      { type: 'reasoning', text: '**Planning** two lookups.', origin: 'gemini' },
      { type: 'text', text: 'Checking both cities.' },
      {
        type: 'tool-call',
        id: 'call_resp-tools-1_2',
        name: 'get_weather',
        arguments: '{"city":"Paris"}',
        thoughtSignature: 'CiQBSIG_first_call',
      },
      { type: 'tool-call', id: 'call_resp-tools-1_3', name: 'get_weather', arguments: '{"city":"Rome"}' },
    ]);
    expect(response.finishReason).toBe('tool-calls');
    // Tool-use prompt tokens are input; thoughts are output.
    expect(response.usage).toEqual({
      inputTokens: 125,
      outputTokens: 100,
      cachedInputTokens: 0,
      cacheCreationTokens: 0,
      reasoningTokens: 60,
    });
  });

  it('decodes signed thoughts and text', () => {
    const { response } = decode(fixture('response-reasoning.json'));
    expect(response.parts).toEqual([
      {
        type: 'reasoning',
        text: '**Computing** the product.',
        origin: 'gemini',
        signature: 'EhsaGThoughtSig==',
      },
      { type: 'text', text: '391', thoughtSignature: 'EhsaGTextSig==' },
    ]);
    expect(response.finishReason).toBe('length');
  });

  it('decodes a blocked prompt as a content-filter finish without parts', () => {
    const { response } = decode(fixture('response-blocked.json'));
    expect(response.parts).toEqual([]);
    expect(response.finishReason).toBe('content-filter');
  });

  it('maps every finish reason', () => {
    const cases: [string, FinishReason][] = [
      ['STOP', 'stop'],
      ['MAX_TOKENS', 'length'],
      ['SAFETY', 'content-filter'],
      ['RECITATION', 'content-filter'],
      ['BLOCKLIST', 'content-filter'],
      ['PROHIBITED_CONTENT', 'content-filter'],
      ['SPII', 'content-filter'],
      ['IMAGE_SAFETY', 'content-filter'],
      ['MALFORMED_FUNCTION_CALL', 'error'],
      ['UNEXPECTED_TOOL_CALL', 'error'],
      ['OTHER', 'stop'],
      ['LANGUAGE', 'stop'],
      ['FINISH_REASON_UNSPECIFIED', 'stop'],
    ];
    for (const [wire, canonical] of cases) {
      expect(decode(candidateWith(wire)).response.finishReason, wire).toBe(canonical);
    }
    expect(decode(candidateWith('OTHER')).warnings).toEqual([
      { kind: 'approximated', field: 'candidates[0].finishReason', detail: 'OTHER sent as stop' },
    ]);
    expect(
      decode(candidateWith('STOP', [{ functionCall: { name: 'f', args: {} } }])).response.finishReason,
    ).toBe('tool-calls');
  });

  it('throws the upstream error of an error body', () => {
    expect(() => decode(fixture('error.json'))).toThrowError(
      expect.objectContaining({
        code: 'upstream_error',
        message: 'RESOURCE_EXHAUSTED: Resource has been exhausted (e.g. check quota).',
      }) as GatewayError,
    );
  });
});

describe('gemini encodeResponse', () => {
  it('round-trips native answers', () => {
    for (const name of ['response.json', 'response-reasoning.json', 'response-json.json']) {
      const original = fixture(name);
      const context = encodeContext({ model: original['modelVersion'] as string });
      const encoded = geminiCodec.encodeResponse(decode(original).response, context);
      const usage = { ...(original['usageMetadata'] as Record<string, unknown>) };
      delete usage['promptTokensDetails'];
      expect(encoded, name).toEqual({ ...original, usageMetadata: usage });
      expect(context.warnings.list).toEqual([]);
    }
  });

  it('round-trips function calls with their ids and signatures', () => {
    const encoded = geminiCodec.encodeResponse(
      decode(fixture('response-tool-calls.json')).response,
      encodeContext(),
    );
    expect(encoded['candidates']).toEqual([
      {
        content: {
          role: 'model',
          parts: [
            { text: '**Planning** two lookups.', thought: true },
            { text: 'Checking both cities.' },
            {
              functionCall: { id: 'call_resp-tools-1_2', name: 'get_weather', args: { city: 'Paris' } },
              thoughtSignature: 'CiQBSIG_first_call',
            },
            { functionCall: { id: 'call_resp-tools-1_3', name: 'get_weather', args: { city: 'Rome' } } },
          ],
        },
        finishReason: 'STOP',
        index: 0,
      },
    ]);
    expect(encoded['responseId']).toBe('resp-tools-1');
  });

  it('encodes answers of other wires: request id, finish reasons, usage', () => {
    const response: CanonicalResponse = {
      id: 'msg_01',
      model: 'claude-x',
      parts: [{ type: 'text', text: 'I cannot help with that.' }],
      finishReason: 'refusal',
      usage: {
        inputTokens: 100,
        outputTokens: 50,
        cachedInputTokens: 40,
        cacheCreationTokens: 10,
        reasoningTokens: 20,
      },
    };
    const context = encodeContext({ sourceWire: 'claude' });
    expect(geminiCodec.encodeResponse(response, context)).toEqual({
      candidates: [
        {
          content: { role: 'model', parts: [{ text: 'I cannot help with that.' }] },
          finishReason: 'SAFETY',
          index: 0,
        },
      ],
      usageMetadata: {
        promptTokenCount: 100,
        candidatesTokenCount: 30,
        thoughtsTokenCount: 20,
        cachedContentTokenCount: 40,
        totalTokenCount: 150,
      },
      modelVersion: 'client-model',
      responseId: 'req_1',
    });
    expect(context.warnings.list).toContainEqual({
      kind: 'approximated',
      field: 'finishReason',
      detail: 'refusal sent as SAFETY',
    });
    const finish = (reason: FinishReason) =>
      (
        geminiCodec.encodeResponse({ ...response, finishReason: reason }, encodeContext())['candidates'] as {
          finishReason: string;
        }[]
      )[0]?.finishReason;
    expect([finish('stop'), finish('tool-calls'), finish('length'), finish('content-filter')]).toEqual([
      'STOP',
      'STOP',
      'MAX_TOKENS',
      'SAFETY',
    ]);
    expect([finish('pause'), finish('error')]).toEqual(['STOP', 'OTHER']);
  });

  it('sends a blocked answer as a candidate without parts', () => {
    const encoded = geminiCodec.encodeResponse(
      decode(fixture('response-blocked.json')).response,
      encodeContext(),
    );
    expect(encoded['candidates']).toEqual([
      { content: { role: 'model', parts: [] }, finishReason: 'SAFETY', index: 0 },
    ]);
  });
});
