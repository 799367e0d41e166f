import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../../core/errors';
import type { CanonicalRequest } from '../../../../canonical/request';
import { decodeRequestWith } from '../../../../canonical/codec-test-support';
import { warningFields as fields } from '../../../../canonical/codec-test-support';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { openAiChatCodec } from './index';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8'));

function decode(body: unknown): { request: CanonicalRequest; warnings: TransformWarnings } {
  return decodeRequestWith(openAiChatCodec, body);
}

describe('openAiChatCodec.decodeRequest', () => {
  it('decodes a multi-turn conversation with system and developer messages', () => {
    const { request, warnings } = decode(fixture('request-conversation.json'));
    expect(request).toEqual({
      model: 'gpt-4o',
      system: [
        { type: 'text', text: 'You are a helpful assistant.' },
        { type: 'text', text: 'Answer in French.' },
      ],
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Hello!' }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'Bonjour ! Comment puis-je vous aider ?' }] },
        { role: 'user', parts: [{ type: 'text', text: 'What is the capital of France?' }] },
      ],
      tools: [],
      maxOutputTokens: 256,
      temperature: 0.2,
      stream: false,
    } satisfies CanonicalRequest);
    expect(fields(warnings)).toEqual(['dropped:messages[4].name']);
  });

  it('decodes base64 and URL images and files, and drops audio with a warning', () => {
    const { request, warnings } = decode(fixture('request-media.json'));
    expect(request.messages).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'Compare these pictures and summarize the report.' },
          {
            type: 'image',
            source: {
              kind: 'base64',
              mediaType: 'image/png',
              data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
            },
            detail: 'low',
          },
          {
            type: 'image',
            source: {
              kind: 'url',
              url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
            },
          },
          {
            type: 'document',
            source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0xLjQKJcfsj6IK' },
            filename: 'report.pdf',
          },
          { type: 'document', source: { kind: 'file-id', fileId: 'file-6F2ksmvXxt4VdoqmHRw6kL' } },
        ],
      },
    ]);
    expect(warnings.list).toEqual([
      { kind: 'dropped', field: 'messages[0].content[5]', detail: 'input_audio' },
    ]);
  });

  it('decodes parallel tool calls, and a run of tool results plus the next user message as one user turn', () => {
    const { request, warnings } = decode(fixture('request-tools.json'));
    expect(request.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: "What's the weather in Paris and in Tokyo?" }] },
      {
        role: 'assistant',
        parts: [
          { type: 'tool-call', id: 'call_paris', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { type: 'tool-call', id: 'call_tokyo', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
        ],
      },
      {
        role: 'user',
        parts: [
          { type: 'tool-result', callId: 'call_paris', content: [{ type: 'text', text: '18°C, sunny' }] },
          {
            type: 'tool-result',
            callId: 'call_tokyo',
            content: [{ type: 'text', text: 'Error: weather service unavailable for Tokyo' }],
          },
          { type: 'text', text: 'Retry Tokyo if it failed.' },
        ],
      },
    ]);
    expect(request.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Current weather of a city',
        parameters: {
          type: 'object',
          properties: { city: { type: 'string' } },
          required: ['city'],
          additionalProperties: false,
        },
        strict: true,
      },
    ]);
    expect(request.toolChoice).toEqual({ type: 'required' });
    expect(request.parallelToolCalls).toBe(true);
    expect(fields(warnings)).toEqual(['unsupported:tools[1]']);
  });

  it('decodes sampling options, reasoning effort and a JSON schema, and reports what it drops', () => {
    const { request, warnings } = decode(fixture('request-options.json'));
    const { messages: _messages, ...rest } = request;
    expect(rest).toEqual({
      model: 'o4-mini',
      system: [],
      tools: [],
      // max_completion_tokens wins over the deprecated max_tokens.
      maxOutputTokens: 2000,
      topP: 0.9,
      stop: ['END'],
      seed: 42,
      presencePenalty: 0.5,
      frequencyPenalty: 0.25,
      reasoning: { enabled: true, effort: 'low' },
      responseFormat: {
        type: 'json-schema',
        name: 'colors',
        description: 'Three colors',
        schema: {
          type: 'object',
          properties: { colors: { type: 'array', items: { type: 'string' } } },
          required: ['colors'],
          additionalProperties: false,
        },
        strict: true,
      },
      user: 'user-1234',
      metadata: { session: 'abc' },
      stream: true,
      streamIncludeUsage: true,
    });
    expect(fields(warnings).sort()).toEqual(
      [
        'dropped:logprobs',
        'dropped:top_logprobs',
        'dropped:service_tier',
        'dropped:store',
        'dropped:prediction',
        'dropped:web_search_options',
        'unsupported:n',
      ].sort(),
    );
  });

  it.each([
    ['none', { enabled: false }],
    ['minimal', { enabled: true, effort: 'minimal' }],
    ['high', { enabled: true, effort: 'high' }],
    ['xhigh', { enabled: true, effort: 'high' }],
  ])('maps reasoning_effort %s', (effort, expected) => {
    const { request } = decode({ model: 'm', messages: [], reasoning_effort: effort });
    expect(request.reasoning).toEqual(expected);
  });

  it('decodes json_object, string and array stops, and named tool choice', () => {
    const { request } = decode({
      model: 'm',
      messages: [],
      response_format: { type: 'json_object' },
      stop: ['a', 'b'],
      tools: [{ type: 'function', function: { name: 'f' } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
    });
    expect(request.responseFormat).toEqual({ type: 'json-object' });
    expect(request.stop).toEqual(['a', 'b']);
    expect(request.tools).toEqual([{ name: 'f', parameters: { type: 'object', properties: {} } }]);
    expect(request.toolChoice).toEqual({ type: 'tool', name: 'f' });
  });

  it('decodes assistant reasoning_content as origin-less reasoning, and refusal as refusal text', () => {
    const { request } = decode({
      model: 'm',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: null, reasoning_content: 'Thinking…', refusal: 'No.' },
        { role: 'assistant', content: [{ type: 'refusal', refusal: 'Still no.' }] },
      ],
    });
    expect(request.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'Thinking…' },
          { type: 'text', text: 'No.', refusal: true },
        ],
      },
      { role: 'assistant', parts: [{ type: 'text', text: 'Still no.', refusal: true }] },
    ]);
  });

  it('moves a mid-conversation system message to system with a warning', () => {
    const { request, warnings } = decode({
      model: 'm',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'system', content: 'Be brief.' },
      ],
    });
    expect(request.system).toEqual([{ type: 'text', text: 'Be brief.' }]);
    expect(request.messages).toHaveLength(1);
    expect(fields(warnings)).toEqual(['approximated:messages[1].role']);
  });

  it('reads the legacy function role as a tool result matched by name, with a warning', () => {
    const { request, warnings } = decode({
      model: 'm',
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, function_call: { name: 'get_weather', arguments: '{}' } },
        { role: 'function', name: 'get_weather', content: 'sunny' },
      ],
      functions: [{ name: 'get_weather', parameters: { type: 'object' } }],
      function_call: { name: 'get_weather' },
    });
    expect(request.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'tool-call', id: 'call_1_0', name: 'get_weather', arguments: '{}' }],
      },
      {
        role: 'user',
        parts: [
          {
            type: 'tool-result',
            callId: 'call_1_0',
            name: 'get_weather',
            content: [{ type: 'text', text: 'sunny' }],
          },
        ],
      },
    ]);
    expect(request.tools).toEqual([{ name: 'get_weather', parameters: { type: 'object' } }]);
    expect(request.toolChoice).toEqual({ type: 'tool', name: 'get_weather' });
    expect(fields(warnings)).toEqual([
      'approximated:messages[1].function_call',
      'approximated:messages[2].role',
      'approximated:functions',
    ]);
  });

  it('ignores unknown fields that SDKs send back', () => {
    const { request, warnings } = decode({
      model: 'm',
      messages: [{ role: 'assistant', content: 'ok', parsed: null, annotations: [], audio: null }],
      unknown_field: 1,
    });
    expect(request.messages).toEqual([{ role: 'assistant', parts: [{ type: 'text', text: 'ok' }] }]);
    expect(warnings.list).toEqual([]);
  });

  it.each([
    [{ messages: [] }, 'model'],
    [{ model: 'm' }, 'messages'],
    [{ model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
    [{ model: 'm', messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id'],
    [{ model: 'm', messages: ['text'] }, 'messages[0]'],
  ])('rejects %j naming %s', (body, param) => {
    let thrown: unknown;
    try {
      decode(body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect((thrown as GatewayError).code).toBe('invalid_request');
    expect((thrown as GatewayError).param).toBe(param);
  });
});
