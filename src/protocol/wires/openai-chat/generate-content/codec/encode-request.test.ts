import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../../../canonical/request';
import { canonicalRequest, warningFields as fields } from '../../../../canonical/codec-test-support';
import { TransformWarnings } from '../../../../canonical/warnings';
import { openAiChatCodec } from './index';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8')) as Record<
    string,
    unknown
  >;

function roundTrip(body: unknown, upstreamModel = 'upstream-model') {
  const warnings = new TransformWarnings();
  const canonical = openAiChatCodec.decodeRequest(body, { warnings, path: {} });
  const encoded = openAiChatCodec.encodeRequest(canonical, { warnings, upstreamModel });
  return { encoded, warnings };
}

function encode(request: Partial<CanonicalRequest>) {
  const warnings = new TransformWarnings();
  return {
    encoded: openAiChatCodec.encodeRequest(canonicalRequest(request), { warnings, upstreamModel: 'gpt-4o' }),
    warnings,
  };
}

describe('openAiChatCodec.encodeRequest', () => {
  it('re-encodes a conversation with the upstream model, one system message and max_completion_tokens', () => {
    const { encoded } = roundTrip(fixture('request-conversation.json'));
    expect(encoded).toEqual({
      model: 'upstream-model',
      messages: [
        { role: 'system', content: 'You are a helpful assistant.\n\nAnswer in French.' },
        { role: 'user', content: 'Hello!' },
        { role: 'assistant', content: 'Bonjour ! Comment puis-je vous aider ?' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
      max_completion_tokens: 256,
      temperature: 0.2,
    });
  });

  it('re-encodes images and files in their wire form', () => {
    const original = fixture('request-media.json');
    const { encoded } = roundTrip(original);
    const [message] = original['messages'] as Array<{ content: unknown[] }>;
    // Everything but the dropped audio part comes back exactly as the client sent it.
    expect(encoded['messages']).toEqual([{ role: 'user', content: message!.content.slice(0, 5) }]);
  });

  it('re-encodes tool calls, tool results as tool messages and the user text after them', () => {
    const original = fixture('request-tools.json');
    const { encoded } = roundTrip(original);
    expect(encoded).toEqual({
      model: 'upstream-model',
      messages: [
        { role: 'user', content: "What's the weather in Paris and in Tokyo?" },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_paris',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
            {
              id: 'call_tokyo',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_paris', content: '18°C, sunny' },
        { role: 'tool', tool_call_id: 'call_tokyo', content: 'Error: weather service unavailable for Tokyo' },
        { role: 'user', content: 'Retry Tokyo if it failed.' },
      ],
      tools: [(original['tools'] as unknown[])[0]],
      tool_choice: 'required',
      parallel_tool_calls: true,
    });
  });

  it('re-encodes options, always asks a streaming upstream for usage, and leaves out metadata', () => {
    const { encoded, warnings } = roundTrip(fixture('request-options.json'));
    const { messages: _messages, ...rest } = encoded;
    expect(rest).toEqual({
      model: 'upstream-model',
      max_completion_tokens: 2000,
      top_p: 0.9,
      stop: ['END'],
      seed: 42,
      presence_penalty: 0.5,
      frequency_penalty: 0.25,
      reasoning_effort: 'low',
      response_format: fixture('request-options.json')['response_format'],
      user: 'user-1234',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(fields(warnings)).toContain('dropped:metadata');
  });

  it('asks for usage even when the client did not', () => {
    const { encoded } = encode({ stream: true, streamIncludeUsage: false });
    expect(encoded['stream_options']).toEqual({ include_usage: true });
  });

  it.each([
    [{ enabled: false }, 'none'],
    [{ enabled: true, effort: 'high' as const }, 'high'],
    [{ enabled: true, budgetTokens: 5000 }, 'medium'],
    [{ enabled: true, budgetTokens: 1024 }, 'minimal'],
    [{ enabled: true }, undefined],
  ])('maps reasoning %j to reasoning_effort %s', (reasoning, effort) => {
    expect(encode({ reasoning }).encoded['reasoning_effort']).toBe(effort);
  });

  it('names an unnamed JSON schema and maps json-object', () => {
    expect(
      encode({ responseFormat: { type: 'json-schema', schema: { type: 'object' } } }).encoded[
        'response_format'
      ],
    ).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema: { type: 'object' } } });
    expect(encode({ responseFormat: { type: 'json-object' } }).encoded['response_format']).toEqual({
      type: 'json_object',
    });
  });

  it('sends native reasoning text back as reasoning_content and drops foreign reasoning with a warning', () => {
    const { encoded, warnings } = encode({
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'hi' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'Claude thought', origin: 'claude', signature: 'sig' },
            { type: 'text', text: 'Hello' },
            { type: 'tool-call', id: 'c1', name: 'f', arguments: '{}', thoughtSignature: 'ts' },
          ],
        },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'Own thought' },
            { type: 'text', text: 'Again' },
          ],
        },
      ],
    });
    expect(encoded['messages']).toEqual([
      { role: 'user', content: 'hi' },
      {
        role: 'assistant',
        content: 'Hello',
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      { role: 'assistant', content: 'Again', reasoning_content: 'Own thought' },
    ]);
    expect(fields(warnings)).toEqual(['dropped:reasoning']);
  });

  it('approximates error results and moves tool result images into a user message', () => {
    const image = {
      type: 'image' as const,
      source: { kind: 'url' as const, url: 'https://example.com/a.png' },
    };
    const { encoded, warnings } = encode({
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'tool-result', callId: 'c1', content: [{ type: 'text', text: 'boom' }], isError: true },
            { type: 'tool-result', callId: 'c2', content: [{ type: 'text', text: 'shot' }, image] },
          ],
        },
      ],
    });
    expect(encoded['messages']).toEqual([
      { role: 'tool', tool_call_id: 'c1', content: 'boom' },
      { role: 'tool', tool_call_id: 'c2', content: 'shot' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] },
    ]);
    expect(fields(warnings)).toEqual([
      'approximated:messages[0].parts[0].isError',
      'approximated:messages[0].parts[1].content',
    ]);
  });

  it('leaves tool_choice and parallel_tool_calls out without tools, and reports what has no Chat form', () => {
    const { encoded, warnings } = encode({
      toolChoice: { type: 'required' },
      parallelToolCalls: false,
      topK: 40,
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'image', source: { kind: 'file-id', fileId: 'files/abc' } },
            { type: 'document', source: { kind: 'url', url: 'https://example.com/a.pdf' } },
            { type: 'document', source: { kind: 'base64', mediaType: 'text/plain', data: 'aGk=' } },
          ],
        },
      ],
    });
    expect(encoded['tool_choice']).toBeUndefined();
    expect(encoded['parallel_tool_calls']).toBeUndefined();
    expect(encoded['messages']).toEqual([
      {
        role: 'user',
        content: [
          { type: 'file', file: { file_data: 'data:text/plain;base64,aGk=', filename: 'document.txt' } },
        ],
      },
    ]);
    expect(fields(warnings)).toEqual([
      'unsupported:messages[0].parts[0]',
      'unsupported:messages[0].parts[1]',
      'dropped:toolChoice',
      'dropped:topK',
    ]);
  });
});
