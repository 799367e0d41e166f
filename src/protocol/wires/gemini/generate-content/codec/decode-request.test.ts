import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../../core/errors';
import type { CanonicalRequest } from '../../../../canonical/request';
import { TransformWarnings } from '../../../../canonical/warnings';
import { geminiCodec } from './index';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8'));

function decode(body: unknown, model = 'models/gemini-2.5-flash', stream = false) {
  const warnings = new TransformWarnings();
  const request = geminiCodec.decodeRequest(body, { warnings, path: { model, stream } });
  return { request, warnings: warnings.list };
}

describe('gemini decodeRequest', () => {
  it('decodes plain multi-turn text with system instructions and sampling settings', () => {
    const { request, warnings } = decode(fixture('request-text.json'), 'models/gemini-2.5-flash', true);
    expect(request).toEqual<CanonicalRequest>({
      model: 'gemini-2.5-flash',
      stream: true,
      system: [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: 'Answer in English.' },
      ],
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Hi, who are you?' }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'A helpful assistant.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'Name three colours.' }] },
      ],
      tools: [],
      temperature: 0.4,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 256,
      stop: ['END'],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
    });
    expect(warnings).toEqual([]);
  });

  it('decodes inline and file media into images and documents', () => {
    const { request } = decode(fixture('request-media.json'));
    expect(request.messages[0]?.parts).toEqual([
      { type: 'text', text: 'Compare these.' },
      {
        type: 'image',
        source: {
          kind: 'base64',
          mediaType: 'image/png',
          data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
        },
      },
      { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg', mediaType: 'image/jpeg' } },
      {
        type: 'document',
        source: {
          kind: 'file-id',
          fileId: 'https://generativelanguage.googleapis.com/v1beta/files/abc123',
          mediaType: 'application/pdf',
        },
      },
      { type: 'document', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0xLjQK' } },
    ]);
  });

  it('accepts the snake_case field names of Google REST examples', () => {
    const { request } = decode(fixture('request-snake-case.json'));
    expect(request.system).toEqual([{ type: 'text', text: 'Be brief.' }]);
    expect(request.messages[0]?.parts[1]).toEqual({
      type: 'image',
      source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQSkZJRg==' },
    });
    expect(request.tools).toEqual([
      {
        name: 'lookup',
        description: 'Looks a thing up.',
        parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
      },
    ]);
    expect(request.toolChoice).toEqual({ type: 'none' });
    expect(request.maxOutputTokens).toBe(100);
    expect(request.responseFormat).toEqual({ type: 'json-object' });
    expect(request.reasoning).toEqual({ enabled: false });
  });

  it('decodes parallel tool calls, generated ids, results matched by name, errors and tool config', () => {
    const { request, warnings } = decode(fixture('request-tools.json'));
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      parts: [
        {
          type: 'tool-call',
          id: 'call_1_0',
          name: 'get_weather',
          arguments: '{"city":"Paris"}',
          thoughtSignature: 'CiQBcsjafNATIVEsig1',
        },
        { type: 'tool-call', id: 'call_1_1', name: 'get_weather', arguments: '{"city":"Rome"}' },
        { type: 'tool-call', id: 'fc-time-1', name: 'get_time', arguments: '{"city":"Rome","tz":true}' },
      ],
    });
    // Results without ids answer unanswered calls of the same name of the latest turn, in order.
    expect(request.messages[2]).toEqual({
      role: 'user',
      parts: [
        {
          type: 'tool-result',
          callId: 'call_1_0',
          name: 'get_weather',
          content: [{ type: 'text', text: '18C, cloudy' }],
        },
        {
          type: 'tool-result',
          callId: 'call_1_1',
          name: 'get_weather',
          content: [{ type: 'text', text: 'Rome station offline' }],
          isError: true,
        },
        {
          type: 'tool-result',
          callId: 'fc-time-1',
          name: 'get_time',
          content: [{ type: 'text', text: '{"time":"14:05","dst":true}' }],
        },
      ],
    });
    expect(request.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Current weather for a city.',
        parameters: {
          type: 'object',
          properties: {
            unit: { type: ['string', 'null'], enum: ['c', 'f', null] },
            city: { type: 'string', description: 'City name' },
          },
          required: ['city'],
        },
      },
      {
        name: 'get_time',
        parameters: {
          type: 'object',
          properties: { city: { type: 'string' }, tz: { type: 'boolean' } },
          required: ['city'],
          additionalProperties: false,
        },
      },
    ]);
    expect(Object.keys(request.tools[0]?.parameters['properties'] as object)).toEqual(['unit', 'city']);
    expect(request.toolChoice).toEqual({ type: 'tool', name: 'get_weather' });
    expect(warnings).toContainEqual({ kind: 'unsupported', field: 'tools[1].googleSearch' });
  });

  it('matches results without ids to open calls of the latest turn, and ids to their calls', () => {
    const call = (name: string, id?: string) => ({ functionCall: { name, args: {}, ...(id ? { id } : {}) } });
    const result = (name: string, output: string) => ({ functionResponse: { name, response: { output } } });
    const { request } = decode({
      contents: [
        { role: 'model', parts: [call('f')] },
        { role: 'user', parts: [{ text: 'never answered' }] },
        { role: 'model', parts: [call('f'), call('g')] },
        { role: 'user', parts: [result('g', 'G'), result('f', 'F1'), result('f', 'F0'), result('h', 'H')] },
      ],
    });
    expect(request.messages[3]?.parts.map((p) => p.type === 'tool-result' && p.callId)).toEqual([
      'call_2_1',
      'call_2_0',
      'call_0_0',
      'call_3_3',
    ]);
  });

  it('merges consecutive contents of one role into one message', () => {
    const { request } = decode({
      contents: [
        { role: 'user', parts: [{ text: 'a' }] },
        { role: 'user', parts: [{ text: 'b' }] },
        { role: 'model', parts: [{ text: 'c' }] },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
      { role: 'assistant', parts: [{ type: 'text', text: 'c' }] },
    ]);
  });

  it('decodes thought parts and signatures as Gemini reasoning, and the thinking config', () => {
    const { request } = decode(fixture('request-reasoning.json'));
    expect(request.messages[1]?.parts).toEqual([
      {
        type: 'reasoning',
        text: '**Multiplying** 17 by 23 step by step.',
        origin: 'gemini',
        signature: 'EhsaGThoughtSig==',
      },
      { type: 'text', text: '391', thoughtSignature: 'EhsaGTextSig==' },
    ]);
    expect(request.reasoning).toEqual({ enabled: true, budgetTokens: 4096, includeThoughts: true });
  });

  it('maps thinking budgets and levels', () => {
    const reasoningOf = (thinkingConfig: unknown) =>
      decode({ contents: [], generationConfig: { thinkingConfig } }).request.reasoning;
    expect(reasoningOf({ thinkingBudget: -1 })).toEqual({ enabled: true });
    expect(reasoningOf({ thinkingBudget: 0 })).toEqual({ enabled: false });
    expect(reasoningOf({ thinkingLevel: 'HIGH', includeThoughts: false })).toEqual({
      enabled: true,
      effort: 'high',
      includeThoughts: false,
    });
  });

  it('decodes JSON output with a full JSON Schema', () => {
    const { request } = decode(fixture('request-json-output.json'));
    const body = fixture('request-json-output.json') as { generationConfig: { responseJsonSchema: unknown } };
    expect(request.responseFormat).toEqual({
      type: 'json-schema',
      schema: body.generationConfig.responseJsonSchema,
    });
  });

  it('decodes JSON output with an OpenAPI-subset responseSchema into JSON Schema', () => {
    const { request } = decode(fixture('request-response-schema.json'));
    expect(request.responseFormat).toEqual({
      type: 'json-schema',
      schema: {
        type: 'object',
        properties: {
          title: { type: 'string' },
          servings: { type: ['integer', 'null'] },
          steps: { type: 'array', items: { type: 'string' }, minItems: 1 },
        },
        required: ['title', 'steps'],
      },
    });
    expect(request.reasoning).toEqual({ enabled: true, effort: 'low' });
  });

  it('warns about every field it cannot carry', () => {
    const { request, warnings } = decode(fixture('request-dropped.json'));
    expect(request.messages[0]?.parts).toEqual([{ type: 'text', text: 'Done.' }]);
    expect(request.metadata).toEqual({ team: 'search' });
    expect(warnings).toEqual(
      expect.arrayContaining([
        { kind: 'unsupported', field: 'contents[0].parts[0].executableCode' },
        { kind: 'unsupported', field: 'contents[0].parts[1].codeExecutionResult' },
        { kind: 'unsupported', field: 'tools[0].codeExecution' },
        { kind: 'unsupported', field: 'tools[1].urlContext' },
        { kind: 'dropped', field: 'safetySettings' },
        { kind: 'dropped', field: 'cachedContent' },
        { kind: 'unsupported', field: 'generationConfig.candidateCount' },
        { kind: 'dropped', field: 'generationConfig.responseLogprobs' },
        { kind: 'unsupported', field: 'generationConfig.responseModalities' },
      ]),
    );
  });

  it('maps every function calling mode', () => {
    const choiceOf = (functionCallingConfig: unknown) =>
      decode({ contents: [], toolConfig: { functionCallingConfig } }).request.toolChoice;
    expect(choiceOf({ mode: 'AUTO' })).toEqual({ type: 'auto' });
    expect(choiceOf({ mode: 'ANY' })).toEqual({ type: 'required' });
    expect(choiceOf({ mode: 'NONE' })).toEqual({ type: 'none' });
    expect(choiceOf({ mode: 'VALIDATED' })).toEqual({ type: 'auto' });
    expect(choiceOf({})).toBeUndefined();
  });

  it('rejects a body without contents, and a missing model', () => {
    expect(() => decode({ generationConfig: {} })).toThrowError(
      expect.objectContaining({ code: 'invalid_request', param: 'contents' }) as GatewayError,
    );
    expect(() => decode({ contents: [] }, '')).toThrowError(GatewayError);
    expect(() => decode([1, 2])).toThrowError(GatewayError);
  });
});
