import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../../../canonical/request';
import { canonicalRequest } from '../../../../canonical/codec-test-support';
import { TransformWarnings } from '../../../../canonical/warnings';
import { SKIP_THOUGHT_SIGNATURE } from './encode-contents';
import { geminiCodec } from './index';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8')) as Record<
    string,
    unknown
  >;

function roundTrip(name: string) {
  const decodeWarnings = new TransformWarnings();
  const request = geminiCodec.decodeRequest(fixture(name), {
    warnings: decodeWarnings,
    path: { model: 'gemini-2.5-flash' },
  });
  const warnings = new TransformWarnings();
  const body = geminiCodec.encodeRequest(request, { warnings, upstreamModel: 'gemini-2.5-pro' });
  return { body, warnings: warnings.list };
}

function encode(request: Partial<CanonicalRequest>) {
  const warnings = new TransformWarnings();
  const body = geminiCodec.encodeRequest(canonicalRequest(request), {
    warnings,
    upstreamModel: 'gemini-2.5-pro',
  });
  return { body, warnings: warnings.list };
}

describe('gemini encodeRequest of native requests (round trip)', () => {
  it('keeps text, system instructions and sampling settings', () => {
    const { body, warnings } = roundTrip('request-text.json');
    const original = fixture('request-text.json');
    const { candidateCount: _one, ...generationConfig } = original['generationConfig'] as Record<
      string,
      unknown
    >;
    expect(body).toEqual({ ...original, generationConfig });
    expect(body).not.toHaveProperty('model');
    expect(warnings).toEqual([]);
  });

  it('keeps media parts', () => {
    expect(roundTrip('request-media.json').body).toEqual(fixture('request-media.json'));
  });

  it('keeps thought parts, signatures and the thinking config', () => {
    expect(roundTrip('request-reasoning.json').body).toEqual(fixture('request-reasoning.json'));
  });

  it('keeps JSON output with a JSON Schema', () => {
    expect(roundTrip('request-json-output.json').body).toEqual(fixture('request-json-output.json'));
  });

  it('keeps tool calls (with their signatures), results, declarations and the tool config', () => {
    const { body, warnings } = roundTrip('request-tools.json');
    expect(body['contents']).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris and Rome? Also the time in Rome.' }] },
      {
        role: 'model',
        parts: [
          {
            functionCall: { name: 'get_weather', args: { city: 'Paris' } },
            thoughtSignature: 'CiQBcsjafNATIVEsig1',
          },
          { functionCall: { name: 'get_weather', args: { city: 'Rome' } } },
          { functionCall: { name: 'get_time', args: { city: 'Rome', tz: true } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { output: '18C, cloudy' } } },
          { functionResponse: { name: 'get_weather', response: { error: 'Rome station offline' } } },
          { functionResponse: { name: 'get_time', response: { output: '{"time":"14:05","dst":true}' } } },
        ],
      },
    ]);
    expect(body['tools']).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Current weather for a city.',
            parameters: {
              type: 'OBJECT',
              properties: {
                unit: { type: 'STRING', nullable: true, enum: ['c', 'f'] },
                city: { type: 'STRING', description: 'City name' },
              },
              required: ['city'],
            },
          },
          {
            name: 'get_time',
            parameters: {
              type: 'OBJECT',
              properties: { city: { type: 'STRING' }, tz: { type: 'BOOLEAN' } },
              required: ['city'],
            },
          },
        ],
      },
    ]);
    expect(body['toolConfig']).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    });
    // A native turn already has its signature: no placeholder.
    expect(warnings.map((w) => w.field)).not.toContain('messages[].parts[].thoughtSignature');
    expect(warnings).toContainEqual({
      kind: 'approximated',
      field: 'tools[1].parameters.additionalProperties',
      detail: 'keyword dropped for Gemini',
    });
  });
});

describe('gemini encodeRequest of requests from other wires', () => {
  it('adds the placeholder signature to unsigned tool calls, looks up result names, drops foreign reasoning', () => {
    const { body, warnings } = encode({
      system: [{ type: 'text', text: 'sys' }],
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'go' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'thinking…', origin: 'claude', signature: 'sig' },
            { type: 'tool-call', id: 'toolu_1', name: 'search', arguments: '{"q":"x"}' },
            { type: 'tool-call', id: 'toolu_2', name: 'shot', arguments: 'not json' },
          ],
        },
        {
          role: 'user',
          parts: [
            { type: 'tool-result', callId: 'toolu_1', content: [{ type: 'text', text: 'found' }] },
            {
              type: 'tool-result',
              callId: 'toolu_2',
              isError: false,
              content: [
                { type: 'text', text: 'screenshot:' },
                { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
              ],
            },
          ],
        },
      ],
    });
    expect(body['systemInstruction']).toEqual({ parts: [{ text: 'sys' }] });
    expect(body['contents']).toEqual([
      { role: 'user', parts: [{ text: 'go' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'search', args: { q: 'x' } }, thoughtSignature: SKIP_THOUGHT_SIGNATURE },
          { functionCall: { name: 'shot', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'search', response: { output: 'found' } } },
          { functionResponse: { name: 'shot', response: { output: 'screenshot:' } } },
          { inlineData: { mimeType: 'image/png', data: 'AAAA' } },
        ],
      },
    ]);
    const fields = warnings.map((w) => `${w.kind}:${w.field}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'dropped:messages[].parts[].reasoning',
        'approximated:messages[].parts[].thoughtSignature',
        'approximated:messages[1].parts[2].arguments',
        'approximated:messages[].parts[].content',
      ]),
    );
    // One placeholder warning for the whole request.
    expect(fields.filter((f) => f.endsWith('thoughtSignature'))).toHaveLength(1);
  });

  it('sends failed tool results as `error` and media sources Gemini can read', () => {
    const { body, warnings } = encode({
      messages: [
        { role: 'assistant', parts: [{ type: 'tool-call', id: 'c1', name: 'f', arguments: '' }] },
        {
          role: 'user',
          parts: [
            { type: 'tool-result', callId: 'c1', content: [{ type: 'text', text: 'boom' }], isError: true },
            { type: 'image', source: { kind: 'url', url: 'https://x.test/a.webp?size=2' }, detail: 'low' },
            { type: 'image', source: { kind: 'url', url: 'data:image/gif;base64,R0lG' } },
            { type: 'document', source: { kind: 'file-id', fileId: 'file-abc' }, filename: 'a.pdf' },
            { type: 'document', source: { kind: 'url', url: 'https://x.test/doc' } },
          ],
        },
      ],
    });
    expect((body['contents'] as unknown[])[1]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { name: 'f', response: { error: 'boom' } } },
        { fileData: { mimeType: 'image/webp', fileUri: 'https://x.test/a.webp?size=2' } },
        { inlineData: { mimeType: 'image/gif', data: 'R0lG' } },
        { fileData: { mimeType: 'application/pdf', fileUri: 'https://x.test/doc' } },
      ],
    });
    expect(warnings).toEqual(
      expect.arrayContaining([
        { kind: 'dropped', field: 'messages[1].parts[1].detail' },
        {
          kind: 'unsupported',
          field: 'messages[1].parts[3].source.fileId',
          detail: 'file id of another provider',
        },
        {
          kind: 'approximated',
          field: 'messages[1].parts[4].source.mediaType',
          detail: 'unknown, sent as application/pdf',
        },
      ]),
    );
  });

  it('maps tool choice, reasoning, structured output and settings without a Gemini field', () => {
    const tools = [
      { name: 'noop', parameters: { type: 'object', properties: {}, additionalProperties: false } },
      { name: 'f', parameters: { type: 'object', properties: { a: { type: 'integer' } } }, strict: true },
    ];
    const { body, warnings } = encode({
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
      tools,
      toolChoice: { type: 'required' },
      reasoning: { enabled: true, effort: 'medium', includeThoughts: true },
      responseFormat: { type: 'json-schema', name: 'x', schema: { type: 'object' }, strict: true },
      parallelToolCalls: false,
      user: 'u1',
      metadata: { a: 'b' },
    });
    expect(body['tools']).toEqual([
      {
        functionDeclarations: [
          { name: 'noop' },
          { name: 'f', parameters: { type: 'OBJECT', properties: { a: { type: 'INTEGER' } } } },
        ],
      },
    ]);
    expect(body['toolConfig']).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(body['generationConfig']).toEqual({
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object' },
      thinkingConfig: { thinkingBudget: 8192, includeThoughts: true },
    });
    expect(warnings.map((w) => `${w.kind}:${w.field}`)).toEqual(
      expect.arrayContaining([
        'unsupported:parallelToolCalls',
        'dropped:user',
        'dropped:metadata',
        'dropped:tools[1].strict',
      ]),
    );
  });

  it('encodes reasoning on, off and with a budget', () => {
    const thinking = (reasoning: CanonicalRequest['reasoning']) =>
      (encode({ reasoning }).body['generationConfig'] as Record<string, unknown>)['thinkingConfig'];
    expect(thinking({ enabled: false })).toEqual({ thinkingBudget: 0 });
    expect(thinking({ enabled: true })).toEqual({ thinkingBudget: -1 });
    expect(thinking({ enabled: true, budgetTokens: 3000, effort: 'high' })).toEqual({ thinkingBudget: 3000 });
  });

  it('leaves out a tool config when there are no tools', () => {
    expect(encode({ toolChoice: { type: 'auto' } }).body).not.toHaveProperty('toolConfig');
  });
});
