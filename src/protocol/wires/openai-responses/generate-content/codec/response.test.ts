import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../../core/errors';
import { encodeResponseContext } from '../../../../canonical/codec-test-support';
import type { OutputPart } from '../../../../canonical/parts';
import type { CanonicalResponse, FinishReason } from '../../../../canonical/response';
import { TransformWarnings } from '../../../../canonical/warnings';
import type { WireKind } from '../../../../operation';
import { responsesUsageFromResponse } from '../usage';
import { openAiResponsesCodec } from './index';

type Json = Record<string, unknown>;

const fixture = (name: string): Json =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8')) as Json;

function decode(body: unknown): { response: CanonicalResponse; warnings: TransformWarnings } {
  const warnings = new TransformWarnings();
  return { response: openAiResponsesCodec.decodeResponse(body, { warnings }), warnings };
}

function encode(response: CanonicalResponse, sourceWire: WireKind = 'openai-responses') {
  const warnings = new TransformWarnings();
  const body = openAiResponsesCodec.encodeResponse(
    response,
    encodeResponseContext({ warnings, sourceWire, requestId: 'req_abc', nowSeconds: 1_700_000_000 }),
  ) as Json;
  return { body, warnings };
}

/**
 * What a round trip must keep of an output item: everything but the ids gproxy makes up, the
 * logprobs, and the boundaries between summary parts (canonical reasoning has one text).
 */
function itemMeaning(item: Json): Json {
  const { id, logprobs: _logprobs, ...rest } = item;
  if (item['type'] === 'reasoning') {
    return {
      ...rest,
      id,
      summary: (item['summary'] as Json[]).map((part) => part['text'] as string).join('\n\n'),
    };
  }
  const content = Array.isArray(rest['content'])
    ? (rest['content'] as Json[]).map(({ logprobs: _l, ...part }) => part)
    : undefined;
  return { ...rest, ...(content ? { content } : {}) };
}

const canonical = (parts: OutputPart[], finishReason: FinishReason = 'stop'): CanonicalResponse => ({
  id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
  model: 'claude-sonnet-4-5',
  parts,
  finishReason,
});

describe('openai-responses decodeResponse', () => {
  it('decodes reasoning, parallel function calls and cached usage', () => {
    const { response, warnings } = decode(fixture('response-tool-calls.json'));
    expect(response).toEqual({
      id: 'resp_6820f382ee1c8191bc096bee70894d040ac5ba57aafcbac7',
      model: 'o4-mini-2025-04-16',
      created: 1746989954,
      parts: [
        {
          type: 'reasoning',
          text: '**Checking two cities**\n\nI will call get_weather twice.',
          origin: 'openai-responses',
          itemId: 'rs_6820f383d7c08191846711c5df8233bc0ac5ba57aafcbac7',
          encryptedContent:
            'gAAAAABoIPOE6rkd7wn1B0sznqs5YNLryEptsRlAazu2m2lAH9ig06jNVzBg3Zzj1KNJv0vQ8wzH6A==',
        },
        { type: 'tool-call', id: 'call_a1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'tool-call', id: 'call_b2', name: 'get_weather', arguments: '{"city":"Rome"}' },
      ],
      finishReason: 'tool-calls',
      usage: {
        inputTokens: 1200,
        outputTokens: 310,
        cachedInputTokens: 1024,
        cacheCreationTokens: 0,
        reasoningTokens: 256,
      },
    });
    expect(warnings.list).toEqual([]);
  });

  it('decodes plain text, refusals and truncated answers', () => {
    expect(decode(fixture('response.json')).response).toMatchObject({
      parts: [{ type: 'text', text: 'Hi there — ça va?' }],
      finishReason: 'stop',
    });
    expect(decode(fixture('response-refusal.json')).response).toMatchObject({
      parts: [{ type: 'text', text: "I'm sorry, I can't help with that.", refusal: true }],
      finishReason: 'refusal',
    });
    expect(decode(fixture('response-incomplete.json')).response).toMatchObject({
      parts: [{ type: 'text', text: 'Once upon a time, in a land far' }],
      finishReason: 'length',
    });
    const filtered = {
      ...fixture('response-incomplete.json'),
      incomplete_details: { reason: 'content_filter' },
    };
    expect(decode(filtered).response.finishReason).toBe('content-filter');
  });

  it('turns error bodies and failed responses into upstream errors', () => {
    for (const name of ['error-body.json', 'response-failed.json']) {
      let error: unknown;
      try {
        decode(fixture(name));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).code).toBe('upstream_error');
    }
    expect(() => decode('nope')).toThrow(GatewayError);
  });

  it('warns about built-in tool items and citations', () => {
    const { response, warnings } = decode({
      id: 'resp_1',
      status: 'completed',
      model: 'gpt-4.1',
      output: [
        { id: 'ws_1', type: 'web_search_call', status: 'completed' },
        {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [
            { type: 'output_text', text: 'See', annotations: [{ type: 'url_citation', url: 'https://a.b' }] },
          ],
        },
      ],
    });
    expect(response.parts).toEqual([{ type: 'text', text: 'See' }]);
    expect(warnings.list.map((w) => `${w.kind}=${w.field}`)).toEqual([
      'unsupported=output[0]',
      'dropped=output[1].content[0].annotations',
    ]);
  });
});

describe('openai-responses encodeResponse', () => {
  it.each(['response.json', 'response-tool-calls.json', 'response-refusal.json', 'response-incomplete.json'])(
    'round-trips %s',
    (name) => {
      const original = fixture(name);
      const { body } = encode(decode(original).response);
      expect(body['id']).toBe(original['id']);
      expect(body['object']).toBe('response');
      expect(body['created_at']).toBe(original['created_at']);
      expect(body['status']).toBe(original['status']);
      expect(body['incomplete_details']).toEqual(original['incomplete_details']);
      expect(body['model']).toBe('client-model');
      expect((body['output'] as Json[]).map(itemMeaning)).toEqual(
        (original['output'] as Json[]).map(itemMeaning),
      );
      expect(responsesUsageFromResponse(body)).toEqual(responsesUsageFromResponse(original));
      expect(decode(body).response.parts).toEqual(decode(original).response.parts);
    },
  );

  it('has every field the SDK Response type requires', () => {
    const { body } = encode(decode(fixture('response.json')).response);
    for (const key of [
      'id',
      'created_at',
      'error',
      'incomplete_details',
      'instructions',
      'metadata',
      'model',
      'object',
      'output',
      'parallel_tool_calls',
      'temperature',
      'tool_choice',
      'tools',
      'top_p',
    ]) {
      expect(body).toHaveProperty(key);
    }
    const message = (body['output'] as Json[])[0];
    expect(message).toEqual({
      id: 'msg_req_abc_0',
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'Hi there — ça va?', annotations: [] }],
    });
  });

  it('maps every finish reason to a status', () => {
    const statuses = (
      ['stop', 'tool-calls', 'length', 'content-filter', 'refusal', 'pause', 'error'] as const
    ).map((reason) => {
      const { body } = encode(canonical([{ type: 'text', text: 'x' }], reason));
      return [
        reason,
        body['status'],
        body['incomplete_details'],
        (body['error'] as Json | null)?.['code'] ?? null,
      ];
    });
    expect(statuses).toEqual([
      ['stop', 'completed', null, null],
      ['tool-calls', 'completed', null, null],
      ['length', 'incomplete', { reason: 'max_output_tokens' }, null],
      ['content-filter', 'incomplete', { reason: 'content_filter' }, null],
      ['refusal', 'completed', null, null],
      ['pause', 'completed', null, null],
      ['error', 'failed', null, 'server_error'],
    ]);
  });

  it('encodes usage in OpenAI semantics, cache reads and writes inside input', () => {
    const { body } = encode({
      ...canonical([{ type: 'text', text: 'x' }]),
      usage: {
        inputTokens: 2112,
        outputTokens: 48,
        cachedInputTokens: 2000,
        cacheCreationTokens: 100,
        reasoningTokens: 20,
      },
    });
    expect(body['usage']).toEqual({
      input_tokens: 2112,
      input_tokens_details: { cached_tokens: 2000, cache_write_tokens: 100 },
      output_tokens: 48,
      output_tokens_details: { reasoning_tokens: 20 },
      total_tokens: 2160,
    });
    expect(body['id']).toBe('resp_req_abc');
    expect(body['created_at']).toBe(1_700_000_000);
  });

  it('seals Claude thinking into encrypted_content and gets it back on the next request', () => {
    const parts: OutputPart[] = [
      { type: 'reasoning', text: 'The user wants weather.', origin: 'claude', signature: 'EqQBCkYIARgCIkB' },
      { type: 'reasoning', text: '', origin: 'claude', redactedData: 'EmwKAhgBEgy3va3pzix' },
      { type: 'text', text: 'Checking.' },
      {
        type: 'tool-call',
        id: 'toolu_01A09q90qw90lq917835lq9',
        name: 'get_weather',
        arguments: '{"city":"Paris"}',
      },
    ];
    const { body } = encode(canonical(parts, 'tool-calls'), 'claude');
    const output = body['output'] as Json[];
    expect(output.map((item) => [item['type'], item['id']])).toEqual([
      ['reasoning', 'rs_req_abc_0'],
      ['reasoning', 'rs_req_abc_1'],
      ['message', 'msg_req_abc_2'],
      ['function_call', 'fc_req_abc_3'],
    ]);
    expect(output[0]?.['summary']).toEqual([{ type: 'summary_text', text: 'The user wants weather.' }]);
    expect(output[0]?.['encrypted_content']).toMatch(/^gpx1\./);
    expect(output[1]?.['summary']).toEqual([]);

    // The client sends the output back as input (the SDK adds fields such as parsed_arguments).
    const next = openAiResponsesCodec.decodeRequest(
      {
        model: 'claude-sonnet-4-5',
        input: [
          { role: 'user', content: 'Weather in Paris?' },
          ...output.map((item) =>
            item['type'] === 'function_call' ? { ...item, parsed_arguments: null } : item,
          ),
          { type: 'function_call_output', call_id: 'toolu_01A09q90qw90lq917835lq9', output: '18C' },
        ],
      },
      { warnings: new TransformWarnings(), path: {} },
    );
    expect(next.messages[1]).toEqual({ role: 'assistant', parts });
  });

  it('seals a Gemini function-call signature into a reasoning item before the call', () => {
    const parts: OutputPart[] = [
      { type: 'reasoning', text: 'Thinking about tools', origin: 'gemini' },
      {
        type: 'tool-call',
        id: 'call_0_1',
        name: 'lookup',
        arguments: '{"q":"x"}',
        thoughtSignature: 'CiQB0e2Kb3',
      },
      { type: 'text', text: 'Done', thoughtSignature: 'CiQB0e2Kb4' },
    ];
    const { body, warnings } = encode(canonical(parts, 'tool-calls'), 'gemini');
    const output = body['output'] as Json[];
    expect(output.map((item) => item['type'])).toEqual([
      'reasoning',
      'reasoning',
      'function_call',
      'message',
    ]);
    expect(output[2]?.['call_id']).toBe('call_0_1');
    // Text-part signatures have no sealed form (canonical/opaque.ts): reported.
    expect(warnings.list.map((w) => `${w.kind}=${w.field}`)).toEqual(['dropped=parts[2].thoughtSignature']);
    const next = openAiResponsesCodec.decodeRequest(
      { model: 'gemini-2.5-pro', input: output },
      { warnings: new TransformWarnings(), path: {} },
    );
    expect(next.messages).toEqual([
      {
        role: 'assistant',
        parts: [parts[0], parts[1], { type: 'text', text: 'Done' }],
      },
    ]);
  });

  it('seals reasoning without an origin as reasoning of the source wire', () => {
    const { body } = encode(canonical([{ type: 'reasoning', text: 'chat reasoning' }]), 'openai-chat');
    const next = openAiResponsesCodec.decodeRequest(
      { model: 'm', input: body['output'] as Json[] },
      { warnings: new TransformWarnings(), path: {} },
    );
    expect(next.messages[0]?.parts).toEqual([
      { type: 'reasoning', text: 'chat reasoning', origin: 'openai-chat' },
    ]);
  });
});
