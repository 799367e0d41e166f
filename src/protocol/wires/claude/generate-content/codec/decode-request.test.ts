import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../../core/errors';
import { seal } from '../../../../canonical/opaque';
import type { CanonicalRequest } from '../../../../canonical/request';
import { decodeRequestWith } from '../../../../canonical/codec-test-support';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { claudeCodec } from './index';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8'));

function decode(body: unknown): { request: CanonicalRequest; warnings: TransformWarnings } {
  return decodeRequestWith(claudeCodec, body);
}

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('claude decodeRequest', () => {
  it('decodes a multi-turn conversation with system, images and documents', () => {
    const { request, warnings } = decode(fixture('request-conversation.json'));
    expect(request).toEqual({
      model: 'claude-sonnet-4-5',
      system: [
        { type: 'text', text: 'You are a careful assistant.' },
        { type: 'text', text: 'Answer in French.' },
      ],
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG } },
            {
              type: 'image',
              source: {
                kind: 'url',
                url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
              },
            },
            { type: 'text', text: 'What is in these images?' },
          ],
        },
        { role: 'assistant', parts: [{ type: 'text', text: 'Une fourmi et un pixel.' }] },
        {
          role: 'user',
          parts: [
            {
              type: 'document',
              source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0xLjQKJcfsj6IK' },
              filename: 'report.pdf',
            },
            {
              type: 'document',
              source: { kind: 'base64', mediaType: 'text/plain', data: btoa('Grass is green.') },
            },
            {
              type: 'document',
              source: { kind: 'url', url: 'https://example.com/paper.pdf', mediaType: 'application/pdf' },
            },
            { type: 'text', text: 'Summarize these documents.' },
          ],
        },
      ],
      tools: [],
      maxOutputTokens: 1024,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stop: ['\n\nHuman:'],
      user: 'user-1234',
      stream: true,
    });
    // One cache_control warning for the whole request, naming the first one met.
    expect(warnings.list).toEqual([
      { kind: 'dropped', field: 'system[0].cache_control' },
      { kind: 'dropped', field: 'messages[2].content[0].context' },
      { kind: 'dropped', field: 'messages[2].content[0].citations' },
      { kind: 'dropped', field: 'service_tier' },
    ]);
  });

  it('decodes tools, parallel tool calls and tool results with errors and images', () => {
    const { request, warnings } = decode(fixture('request-tools.json'));
    expect(request.system).toEqual([{ type: 'text', text: 'You help with the weather.' }]);
    expect(request.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Get the current weather in a given location',
        parameters: {
          type: 'object',
          properties: { location: { type: 'string' } },
          required: ['location'],
        },
      },
      {
        name: 'get_time',
        description: 'Current local time',
        parameters: { type: 'object', properties: { tz: { type: 'string' } } },
      },
    ]);
    expect(request.toolChoice).toEqual({ type: 'required' });
    expect(request.parallelToolCalls).toBe(true);
    expect(request.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'Weather and time in Paris and Tokyo?' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'text', text: 'Let me check.' },
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
            arguments: '{"location":"Tokyo"}',
          },
          { type: 'tool-call', id: 'toolu_01C29q90qw90lq917835lq9', name: 'get_time', arguments: '{}' },
        ],
      },
      {
        role: 'user',
        parts: [
          {
            type: 'tool-result',
            callId: 'toolu_01A09q90qw90lq917835lq9',
            content: [{ type: 'text', text: '15 degrees, cloudy' }],
          },
          {
            type: 'tool-result',
            callId: 'toolu_01B19q90qw90lq917835lq9',
            content: [
              { type: 'text', text: '22 degrees, sunny' },
              {
                type: 'image',
                source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQSkZJRg==' },
              },
            ],
          },
          {
            type: 'tool-result',
            callId: 'toolu_01C29q90qw90lq917835lq9',
            content: [{ type: 'text', text: 'timezone service unavailable' }],
            isError: true,
          },
          { type: 'text', text: 'Also, is it raining?' },
        ],
      },
    ]);
    expect(warnings.list).toEqual([
      { kind: 'dropped', field: 'tools[0].cache_control' },
      { kind: 'unsupported', field: 'tools[2]', detail: 'server tool web_search_20250305' },
    ]);
  });

  it('decodes thinking config, signed and redacted thinking, and the structured-output format', () => {
    const { request, warnings } = decode(fixture('request-thinking.json'));
    expect(request.reasoning).toEqual({
      enabled: true,
      budgetTokens: 10000,
      effort: 'high',
      includeThoughts: true,
    });
    expect(request.responseFormat).toEqual({
      type: 'json-schema',
      schema: {
        type: 'object',
        properties: { answer: { type: 'number' } },
        required: ['answer'],
        additionalProperties: false,
      },
    });
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      parts: [
        {
          type: 'reasoning',
          text: 'I should use the calculator for this multiplication.',
          signature:
            'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds2c6Ah4kt5zC1ZnmT6sE2N3Yk5T9UfD2vhbLZd4kT',
          origin: 'claude',
        },
        {
          type: 'reasoning',
          text: '',
          redactedData: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP',
          origin: 'claude',
        },
        { type: 'tool-call', id: 'toolu_01Calc', name: 'calculator', arguments: '{"expression":"27 * 453"}' },
      ],
    });
    expect(warnings.list).toEqual([]);
  });

  it('reads thinking disabled, tool_choice variants and disable_parallel_tool_use', () => {
    const base = { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
    expect(decode({ ...base, thinking: { type: 'disabled' } }).request.reasoning).toEqual({ enabled: false });
    const tool = decode({
      ...base,
      tool_choice: { type: 'tool', name: 'f', disable_parallel_tool_use: true },
    });
    expect(tool.request.toolChoice).toEqual({ type: 'tool', name: 'f' });
    expect(tool.request.parallelToolCalls).toBe(false);
    expect(decode({ ...base, tool_choice: { type: 'none' } }).request.toolChoice).toEqual({ type: 'none' });
    expect(decode({ ...base, tool_choice: { type: 'auto' } }).request.toolChoice).toEqual({ type: 'auto' });
  });

  it('opens thinking blocks that gproxy sealed instead of taking them for Claude thinking', () => {
    const foreign = {
      type: 'reasoning' as const,
      text: 'Gemini thought',
      signature: 'CiQB0e2Kb',
      origin: 'gemini' as const,
    };
    const responses = {
      type: 'reasoning' as const,
      text: '',
      itemId: 'rs_123',
      encryptedContent: 'gAAAAB...',
      origin: 'openai-responses' as const,
    };
    const { request, warnings } = decode({
      model: 'm',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: [
            {
              type: 'thinking',
              thinking: 'Gemini thought',
              signature: seal({ t: 'reasoning', parts: [foreign] }),
            },
            { type: 'thinking', thinking: '', signature: seal({ t: 'reasoning', parts: [responses] }) },
            {
              type: 'thinking',
              thinking: '',
              signature: seal({ t: 'tool-signature', callId: 'call_1_0', signature: 'sig-A' }),
            },
            { type: 'tool_use', id: 'call_1_0', name: 'f', input: { a: 1 } },
            { type: 'thinking', thinking: '', signature: 'gpx1.@@@damaged' },
          ],
        },
      ],
    });
    expect(request.messages[1]?.parts).toEqual([
      foreign,
      responses,
      { type: 'tool-call', id: 'call_1_0', name: 'f', arguments: '{"a":1}', thoughtSignature: 'sig-A' },
    ]);
    expect(warnings.list).toEqual([
      { kind: 'dropped', field: 'messages[1].content[4].signature', detail: 'damaged gproxy-sealed state' },
    ]);
  });

  it('warns about blocks and fields it cannot carry', () => {
    const { request, warnings } = decode({
      model: 'm',
      max_tokens: 100,
      container: 'container_1',
      mcp_servers: [{ type: 'url', url: 'https://mcp.example.com', name: 'x' }],
      messages: [
        {
          role: 'assistant',
          content: [
            { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'q' } },
            { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
            { type: 'text', text: 'Found', citations: [{ type: 'web_search_result_location', url: 'u' }] },
          ],
        },
      ],
    });
    expect(request.messages[0]?.parts).toEqual([{ type: 'text', text: 'Found' }]);
    expect(warnings.list.map((w) => `${w.kind}:${w.field}`)).toEqual([
      'unsupported:messages[0].content[0]',
      'unsupported:messages[0].content[1]',
      'dropped:messages[0].content[2].citations',
      'dropped:container',
      'dropped:mcp_servers',
    ]);
  });

  it('rejects bodies without model or messages, and unknown roles', () => {
    const code = (body: unknown): unknown => {
      try {
        decode(body);
      } catch (error) {
        return error instanceof GatewayError ? [error.code, error.param] : error;
      }
      return 'no error';
    };
    expect(code({ messages: [] })).toEqual(['invalid_request', 'model']);
    expect(code({ model: 'm' })).toEqual(['invalid_request', 'messages']);
    expect(code({ model: 'm', messages: [{ role: 'system', content: 'x' }] })).toEqual([
      'invalid_request',
      'messages[0].role',
    ]);
    expect(code({ model: 'm', messages: [{ role: 'user', content: 42 }] })).toEqual([
      'invalid_request',
      'messages[0].content',
    ]);
  });
});
