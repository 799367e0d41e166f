import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../../../canonical/request';
import { TransformWarnings } from '../../../../canonical/warnings';
import { claudeCodec } from './index';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8')) as Record<
    string,
    unknown
  >;

function encode(request: CanonicalRequest, upstreamModel = 'claude-upstream') {
  const warnings = new TransformWarnings();
  return { body: claudeCodec.encodeRequest(request, { warnings, upstreamModel }), warnings };
}

/** decode then encode a native Claude request. */
function roundTrip(body: unknown) {
  const request = claudeCodec.decodeRequest(body, { warnings: new TransformWarnings(), path: {} });
  return encode(request);
}

function base(overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return {
    model: 'client-model',
    system: [],
    messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hello' }] }],
    tools: [],
    stream: false,
    ...overrides,
  };
}

const CLAUDE_SIGNATURE =
  'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds2c6Ah4kt5zC1ZnmT6sE2N3Yk5T9UfD2vhbLZd4kT';

describe('claude encodeRequest of native requests', () => {
  it('keeps the meaning of a conversation with system, images and documents', () => {
    const source = fixture('request-conversation.json');
    const { body } = roundTrip(source);
    expect(body).toEqual({
      model: 'claude-upstream',
      max_tokens: 1024,
      system: [
        { type: 'text', text: 'You are a careful assistant.' },
        { type: 'text', text: 'Answer in French.' },
      ],
      messages: [
        {
          role: 'user',
          content: [
            (source['messages'] as { content: Record<string, unknown>[] }[])[0]!.content[0],
            (source['messages'] as { content: Record<string, unknown>[] }[])[0]!.content[1],
            { type: 'text', text: 'What is in these images?' },
          ],
        },
        { role: 'assistant', content: 'Une fourmi et un pixel.' },
        {
          role: 'user',
          content: [
            {
              type: 'document',
              source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQKJcfsj6IK' },
              title: 'report.pdf',
            },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Grass is green.' } },
            { type: 'document', source: { type: 'url', url: 'https://example.com/paper.pdf' } },
            { type: 'text', text: 'Summarize these documents.' },
          ],
        },
      ],
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['\n\nHuman:'],
      metadata: { user_id: 'user-1234' },
      stream: true,
    });
  });

  it('keeps tools, tool choice, parallel calls and tool results (errors included)', () => {
    const source = fixture('request-tools.json');
    const { body, warnings } = roundTrip(source);
    const tools = source['tools'] as Record<string, unknown>[];
    expect(body['tools']).toEqual([
      { name: 'get_weather', description: tools[0]!['description'], input_schema: tools[0]!['input_schema'] },
      { name: 'get_time', description: 'Current local time', input_schema: tools[1]!['input_schema'] },
    ]);
    expect(body['tool_choice']).toEqual({ type: 'any' });
    expect(body['system']).toEqual([{ type: 'text', text: 'You help with the weather.' }]);
    const messages = body['messages'] as { role: string; content: Record<string, unknown>[] }[];
    expect(messages[1]!.content).toEqual([
      { type: 'text', text: 'Let me check.' },
      {
        type: 'tool_use',
        id: 'toolu_01A09q90qw90lq917835lq9',
        name: 'get_weather',
        input: { location: 'Paris' },
      },
      {
        type: 'tool_use',
        id: 'toolu_01B19q90qw90lq917835lq9',
        name: 'get_weather',
        input: { location: 'Tokyo' },
      },
      { type: 'tool_use', id: 'toolu_01C29q90qw90lq917835lq9', name: 'get_time', input: {} },
    ]);
    expect(messages[2]!.content).toEqual([
      { type: 'tool_result', tool_use_id: 'toolu_01A09q90qw90lq917835lq9', content: '15 degrees, cloudy' },
      {
        type: 'tool_result',
        tool_use_id: 'toolu_01B19q90qw90lq917835lq9',
        content: [
          { type: 'text', text: '22 degrees, sunny' },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQSkZJRg==' } },
        ],
      },
      {
        type: 'tool_result',
        tool_use_id: 'toolu_01C29q90qw90lq917835lq9',
        content: 'timezone service unavailable',
        is_error: true,
      },
      { type: 'text', text: 'Also, is it raining?' },
    ]);
    expect(warnings.list).toEqual([]);
  });

  it('keeps thinking with its signatures and the structured-output format', () => {
    const source = fixture('request-thinking.json');
    const { body, warnings } = roundTrip(source);
    expect(body['thinking']).toEqual({ type: 'enabled', budget_tokens: 10000 });
    expect(body['max_tokens']).toBe(16000);
    expect(body['output_format']).toEqual(source['output_format']);
    expect(body['messages']).toEqual(source['messages']);
    expect(warnings.list).toEqual([]);
  });
});

describe('claude encodeRequest from other wires', () => {
  it('puts tool results first in a user turn and fills max_tokens', () => {
    const { body, warnings } = encode(
      base({
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'Go' }] },
          {
            role: 'assistant',
            parts: [{ type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"x":1}' }],
          },
          {
            role: 'user',
            parts: [
              { type: 'text', text: 'Here you go' },
              { type: 'tool-result', callId: 'call_1', content: [{ type: 'text', text: 'ok' }] },
            ],
          },
        ],
        tools: [{ name: 'f', parameters: {} }],
      }),
    );
    expect(body['max_tokens']).toBe(8192);
    expect(body['tools']).toEqual([{ name: 'f', input_schema: { type: 'object' } }]);
    expect((body['messages'] as { content: unknown[] }[])[2]!.content).toEqual([
      { type: 'tool_result', tool_use_id: 'call_1', content: 'ok' },
      { type: 'text', text: 'Here you go' },
    ]);
    expect(warnings.list.map((w) => `${w.kind}:${w.field}`)).toEqual(['approximated:maxOutputTokens']);
  });

  it('turns thinking off when the last tool-use turn has no Claude thinking (foreign history)', () => {
    const { body, warnings } = encode(
      base({
        reasoning: { enabled: true, effort: 'high' },
        maxOutputTokens: 30000,
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'Go' }] },
          {
            role: 'assistant',
            parts: [
              {
                type: 'reasoning',
                text: 'thinking elsewhere',
                encryptedContent: 'gAAA',
                origin: 'openai-responses',
              },
              { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}' },
            ],
          },
          { role: 'user', parts: [{ type: 'tool-result', callId: 'call_1', content: [] }] },
        ],
        tools: [{ name: 'f', parameters: { type: 'object' } }],
      }),
    );
    expect(body['thinking']).toBeUndefined();
    expect(body['max_tokens']).toBe(30000);
    expect((body['messages'] as { content: unknown[] }[])[1]!.content).toEqual([
      { type: 'tool_use', id: 'call_1', name: 'f', input: {} },
    ]);
    expect(warnings.list).toEqual([
      {
        kind: 'dropped',
        field: 'messages.reasoning',
        detail: 'reasoning without a Claude signature is not sent upstream',
      },
      {
        kind: 'approximated',
        field: 'reasoning',
        detail: 'thinking disabled: prior tool-use turn has no Claude thinking signature',
      },
    ]);
  });

  it('keeps thinking on when the last tool-use turn starts with Claude thinking', () => {
    const { body } = encode(
      base({
        reasoning: { enabled: true, effort: 'low' },
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'Go' }] },
          {
            role: 'assistant',
            parts: [
              { type: 'reasoning', text: 'hmm', signature: CLAUDE_SIGNATURE, origin: 'claude' },
              { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}' },
            ],
          },
          { role: 'user', parts: [{ type: 'tool-result', callId: 'call_1', content: [] }] },
        ],
        tools: [{ name: 'f', parameters: { type: 'object' } }],
      }),
    );
    // Budget from the effort table; max_tokens defaults above it.
    expect(body['thinking']).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(body['max_tokens']).toBe(2048 + 8192);
    expect((body['messages'] as { content: unknown[] }[])[1]!.content[0]).toEqual({
      type: 'thinking',
      thinking: 'hmm',
      signature: CLAUDE_SIGNATURE,
    });
  });

  it('fits the budget under max_tokens and drops sampling Claude forbids with thinking', () => {
    const { body, warnings } = encode(
      base({
        reasoning: { enabled: true, budgetTokens: 500 },
        maxOutputTokens: 4000,
        temperature: 0.5,
        topK: 5,
        topP: 0.5,
        seed: 7,
        frequencyPenalty: 0.1,
      }),
    );
    expect(body['thinking']).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(body['max_tokens']).toBe(4000);
    expect(body['temperature']).toBeUndefined();
    expect(body['top_k']).toBeUndefined();
    expect(body['top_p']).toBeUndefined();
    expect(warnings.list.map((w) => `${w.kind}:${w.field}`)).toEqual([
      'approximated:reasoning.budgetTokens',
      'dropped:temperature',
      'dropped:topP',
      'dropped:topK',
      'dropped:seed',
      'dropped:frequencyPenalty',
    ]);

    const small = encode(
      base({ reasoning: { enabled: true, effort: 'medium' }, maxOutputTokens: 3000 }),
    ).body;
    expect(small['thinking']).toEqual({ type: 'enabled', budget_tokens: 1500 });
    expect(small['max_tokens']).toBe(3000);
    const tiny = encode(base({ reasoning: { enabled: true, effort: 'medium' }, maxOutputTokens: 800 })).body;
    expect(tiny['thinking']).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(tiny['max_tokens']).toBe(1824);
  });

  it('turns thinking off when tool_choice forces a tool, and sends thinking disabled when asked', () => {
    const forced = encode(
      base({
        reasoning: { enabled: true, effort: 'high' },
        tools: [{ name: 'f', parameters: { type: 'object' } }],
        toolChoice: { type: 'tool', name: 'f' },
        parallelToolCalls: false,
      }),
    );
    expect(forced.body['thinking']).toBeUndefined();
    expect(forced.body['tool_choice']).toEqual({ type: 'tool', name: 'f', disable_parallel_tool_use: true });
    expect(encode(base({ reasoning: { enabled: false } })).body['thinking']).toEqual({ type: 'disabled' });
  });

  it('declares the history tools when a request with tool history has no tools', () => {
    const { body, warnings } = encode(
      base({
        messages: [
          {
            role: 'assistant',
            parts: [{ type: 'tool-call', id: 'c1', name: 'lookup', arguments: 'not json' }],
          },
          {
            role: 'user',
            parts: [{ type: 'tool-result', callId: 'c1', content: [{ type: 'text', text: 'x' }] }],
          },
        ],
      }),
    );
    expect(body['tools']).toEqual([{ name: 'lookup', input_schema: { type: 'object' } }]);
    expect(body['tool_choice']).toEqual({ type: 'none' });
    expect(warnings.list.map((w) => `${w.kind}:${w.field}`)).toContain(
      'approximated:messages.tool_use.input',
    );
    expect(warnings.list.map((w) => `${w.kind}:${w.field}`)).toContain('approximated:tools');
  });

  it('maps media sources, JSON output and the user id', () => {
    const { body, warnings } = encode(
      base({
        user: 'u-1',
        responseFormat: { type: 'json-schema', name: 'answer', schema: { type: 'object' }, strict: true },
        messages: [
          {
            role: 'user',
            parts: [
              { type: 'image', source: { kind: 'url', url: 'data:image/png;base64,AAAA' }, detail: 'high' },
              { type: 'image', source: { kind: 'file-id', fileId: 'file_011' } },
              {
                type: 'document',
                source: { kind: 'base64', mediaType: 'text/markdown', data: btoa('# Hi') },
              },
              {
                type: 'document',
                source: { kind: 'base64', mediaType: 'application/zip', data: 'UEsDBA==' },
              },
            ],
          },
        ],
      }),
    );
    expect((body['messages'] as { content: unknown[] }[])[0]!.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
      { type: 'image', source: { type: 'file', file_id: 'file_011' } },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: '# Hi' } },
    ]);
    expect(body['output_format']).toEqual({ type: 'json_schema', schema: { type: 'object' } });
    expect(body['metadata']).toEqual({ user_id: 'u-1' });
    expect(warnings.list.map((w) => `${w.kind}:${w.field}`)).toEqual([
      'dropped:image.detail',
      'approximated:document',
      'unsupported:document',
      'approximated:maxOutputTokens',
    ]);
  });
});
