import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../../core/errors';
import { seal } from '../../../../canonical/opaque';
import type { CanonicalRequest } from '../../../../canonical/request';
import { decodeRequestWith } from '../../../../canonical/codec-test-support';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { openAiResponsesCodec } from './index';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8'));

function decode(body: unknown): { request: CanonicalRequest; warnings: TransformWarnings } {
  return decodeRequestWith(openAiResponsesCodec, body);
}

function thrown(body: unknown): GatewayError {
  try {
    decode(body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected decodeRequest to throw');
}

describe('openai-responses decodeRequest', () => {
  it('decodes a string input with instructions and sampling settings', () => {
    const { request, warnings } = decode(fixture('request-text.json'));
    expect(request).toEqual({
      model: 'gpt-5-mini',
      system: [{ type: 'text', text: 'You are a terse assistant.' }],
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'Say hello in French.' }] }],
      tools: [],
      maxOutputTokens: 256,
      temperature: 0.2,
      topP: 0.9,
      stream: false,
    });
    expect(warnings.list).toEqual([]);
  });

  it('decodes a multi-turn conversation with images, files and system messages', () => {
    const { request, warnings } = decode(fixture('request-conversation.json'));
    expect(request.system).toEqual([
      { type: 'text', text: 'Answer in English.' },
      { type: 'text', text: 'Keep answers under 20 words.' },
    ]);
    expect(request.messages).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'What is in these two pictures, and what does the PDF say?' },
          {
            type: 'image',
            source: {
              kind: 'base64',
              mediaType: 'image/png',
              data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
            },
            detail: 'low',
          },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' }, detail: 'auto' },
          {
            type: 'document',
            source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0xLjQK' },
            filename: 'report.pdf',
          },
        ],
      },
      {
        role: 'assistant',
        parts: [{ type: 'text', text: 'A red square and a cat. The PDF is a quarterly report.' }],
      },
      // Two user items in a row make one canonical turn.
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'Which quarter?' },
          { type: 'document', source: { kind: 'file-id', fileId: 'file-6F2ksmvXxt4VdoqmHRw6kL' } },
        ],
      },
    ]);
    // The system message after the first turn is moved into the instructions.
    expect(warnings.list).toEqual([
      { kind: 'approximated', field: 'input[3]', detail: 'system message moved to instructions' },
    ]);
  });

  it('decodes tools, parallel calls, outputs, native reasoning and structured output', () => {
    const { request, warnings } = decode(fixture('request-tools.json'));
    expect(request).toEqual({
      model: 'o4-mini',
      system: [{ type: 'text', text: 'Use the tools when needed.' }],
      messages: [
        { role: 'user', parts: [{ type: 'text', text: "What's the weather in Paris and in Rome?" }] },
        {
          role: 'assistant',
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
        },
        {
          role: 'user',
          parts: [
            {
              type: 'tool-result',
              callId: 'call_a1',
              content: [{ type: 'text', text: '{"temp_c":18,"sky":"clear"}' }],
            },
            {
              type: 'tool-result',
              callId: 'call_b2',
              content: [
                { type: 'text', text: 'error: weather service unavailable for Rome' },
                {
                  type: 'image',
                  source: { kind: 'url', url: 'https://example.com/rome-radar.png' },
                  detail: 'auto',
                },
              ],
            },
          ],
        },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather for a city.',
          parameters: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
            additionalProperties: false,
          },
          strict: true,
        },
      ],
      toolChoice: { type: 'auto' },
      parallelToolCalls: true,
      reasoning: { enabled: true, effort: 'high', includeThoughts: true },
      responseFormat: {
        type: 'json-schema',
        name: 'weather_report',
        schema: {
          type: 'object',
          properties: { summary: { type: 'string' } },
          required: ['summary'],
          additionalProperties: false,
        },
        strict: true,
      },
      user: 'user-1234',
      metadata: { session: 'abc' },
      stream: true,
    });
    expect(warnings.list).toEqual([]);
  });

  it('warns about every field it cannot carry', () => {
    const { request, warnings } = decode(fixture('request-unsupported.json'));
    expect(request.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'Find recent news about Rust.' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'Rust 1.90 was released.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Thanks' }] },
    ]);
    expect(request.tools).toEqual([]);
    expect(request.toolChoice).toBeUndefined();
    expect(request.reasoning).toEqual({ enabled: true, effort: 'high' });
    expect(request.user).toBe('legacy-user');
    expect(warnings.list.map((w) => `${w.kind}=${w.field}`)).toEqual([
      'unsupported=input[0].content[1]',
      'unsupported=input[1]',
      'unsupported=input[2]',
      'dropped=input[3].content[0].annotations',
      'dropped=input[3].phase',
      'unsupported=tools[0]',
      'unsupported=tool_choice',
      'approximated=reasoning.effort',
      'dropped=text.verbosity',
      'dropped=top_logprobs',
      'dropped=service_tier',
      'dropped=truncation',
      'unsupported=store',
      'unsupported=include[0]',
    ]);
  });

  it('reads other reasoning and format settings', () => {
    const base = { model: 'o3', input: 'hi' };
    expect(decode({ ...base, reasoning: { effort: 'none' } }).request.reasoning).toEqual({ enabled: false });
    expect(decode({ ...base, reasoning: { summary: 'concise' } }).request.reasoning).toEqual({
      enabled: true,
      includeThoughts: true,
    });
    expect(decode({ ...base, reasoning: { effort: null } }).request.reasoning).toBeUndefined();
    expect(decode({ ...base, text: { format: { type: 'json_object' } } }).request.responseFormat).toEqual({
      type: 'json-object',
    });
    expect(decode({ ...base, tool_choice: { type: 'function', name: 'f' } }).request.toolChoice).toEqual({
      type: 'tool',
      name: 'f',
    });
    expect(decode({ ...base, tool_choice: 'required' }).request.toolChoice).toEqual({ type: 'required' });
  });

  it('reads bare base64 file data and function tools without parameters', () => {
    const { request } = decode({
      model: 'gpt-4.1',
      input: [{ role: 'user', content: [{ type: 'input_file', filename: 'notes.txt', file_data: 'aGk=' }] }],
      tools: [{ type: 'function', name: 'ping', parameters: null, strict: null }],
    });
    expect(request.messages[0]?.parts).toEqual([
      {
        type: 'document',
        source: { kind: 'base64', mediaType: 'text/plain', data: 'aGk=' },
        filename: 'notes.txt',
      },
    ]);
    expect(request.tools).toEqual([{ name: 'ping', parameters: { type: 'object', properties: {} } }]);
  });

  it('rejects requests that depend on state stored at OpenAI', () => {
    const previous = thrown({ model: 'gpt-4.1', input: 'hi', previous_response_id: 'resp_123' });
    expect(previous.code).toBe('invalid_request');
    expect(previous.param).toBe('previous_response_id');
    expect(previous.message).toBe(
      'previous_response_id is not supported when this model is served by a non-Responses provider',
    );
    const conversation = thrown({ model: 'gpt-4.1', input: 'hi', conversation: { id: 'conv_1' } });
    expect(conversation.param).toBe('conversation');
    // A null previous_response_id (as SDKs may send) is no stored state.
    expect(decode({ model: 'gpt-4.1', input: 'hi', previous_response_id: null }).request.model).toBe(
      'gpt-4.1',
    );
  });

  it('requires a model and an input', () => {
    expect(thrown({ input: 'hi' }).param).toBe('model');
    expect(thrown({ model: 'gpt-4.1' }).param).toBe('input');
    expect(thrown('not an object').code).toBe('invalid_request');
  });

  it('opens reasoning and tool signatures that gproxy sealed on an earlier turn', () => {
    const claudeThinking = {
      type: 'reasoning' as const,
      text: 'Let me think.',
      origin: 'claude' as const,
      signature: 'EqQBCkYI',
    };
    const redacted = {
      type: 'reasoning' as const,
      text: '',
      origin: 'claude' as const,
      redactedData: 'EmwKAhgB',
    };
    const { request, warnings } = decode({
      model: 'claude-sonnet-4-5',
      input: [
        { role: 'user', content: 'Weather?' },
        {
          id: 'rs_1',
          type: 'reasoning',
          summary: [],
          encrypted_content: seal({ t: 'reasoning', parts: [claudeThinking, redacted] }),
        },
        {
          id: 'rs_2',
          type: 'reasoning',
          summary: [],
          encrypted_content: seal({ t: 'tool-signature', callId: 'call_0_0', signature: 'CiQB0e2Kb' }),
        },
        { type: 'function_call', call_id: 'call_0_0', name: 'get_weather', arguments: '{}' },
        { id: 'rs_3', type: 'reasoning', summary: [], encrypted_content: 'gpx1.!!damaged' },
        { type: 'function_call_output', call_id: 'call_0_0', output: 'sunny' },
      ],
    });
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      parts: [
        claudeThinking,
        redacted,
        {
          type: 'tool-call',
          id: 'call_0_0',
          name: 'get_weather',
          arguments: '{}',
          thoughtSignature: 'CiQB0e2Kb',
        },
      ],
    });
    expect(warnings.list.map((w) => `${w.kind}=${w.field}`)).toEqual(['dropped=input[4].encrypted_content']);
  });
});
