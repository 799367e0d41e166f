import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../../../canonical/request';
import { TransformWarnings } from '../../../../canonical/warnings';
import { openAiResponsesCodec } from './index';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8'));

const decode = (body: unknown): CanonicalRequest =>
  openAiResponsesCodec.decodeRequest(body, { warnings: new TransformWarnings(), path: {} });

function encode(request: CanonicalRequest): { body: Record<string, unknown>; warnings: TransformWarnings } {
  const warnings = new TransformWarnings();
  const body = openAiResponsesCodec.encodeRequest(request, { warnings, upstreamModel: 'gpt-5-2025-08-07' });
  return { body, warnings };
}

/** System parts become one `instructions` text upstream; compare what they say, not how they are split. */
function meaning(request: CanonicalRequest): unknown {
  return { ...request, model: undefined, system: request.system.map((part) => part.text).join('\n\n') };
}

describe('openai-responses encodeRequest', () => {
  it('encodes a stateless request with the full conversation', () => {
    const { body, warnings } = encode(decode(fixture('request-tools.json')));
    expect(body).toEqual({
      model: 'gpt-5-2025-08-07',
      instructions: 'Use the tools when needed.',
      input: [
        {
          type: 'message',
          role: 'user',
          content: [{ type: 'input_text', text: "What's the weather in Paris and in Rome?" }],
        },
        {
          type: 'reasoning',
          id: 'rs_6820f383d7c08191846711c5df8233bc0ac5ba57aafcbac7',
          summary: [
            { type: 'summary_text', text: '**Checking two cities**\n\nI will call get_weather twice.' },
          ],
          encrypted_content:
            'gAAAAABoIPOE6rkd7wn1B0sznqs5YNLryEptsRlAazu2m2lAH9ig06jNVzBg3Zzj1KNJv0vQ8wzH6A==',
        },
        { type: 'function_call', call_id: 'call_a1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call', call_id: 'call_b2', name: 'get_weather', arguments: '{"city":"Rome"}' },
        { type: 'function_call_output', call_id: 'call_a1', output: '{"temp_c":18,"sky":"clear"}' },
        {
          type: 'function_call_output',
          call_id: 'call_b2',
          output: [
            { type: 'input_text', text: 'error: weather service unavailable for Rome' },
            { type: 'input_image', image_url: 'https://example.com/rome-radar.png', detail: 'auto' },
          ],
        },
      ],
      tools: [
        {
          type: 'function',
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
      tool_choice: 'auto',
      parallel_tool_calls: true,
      reasoning: { effort: 'high', summary: 'auto' },
      text: {
        format: {
          type: 'json_schema',
          name: 'weather_report',
          schema: {
            type: 'object',
            properties: { summary: { type: 'string' } },
            required: ['summary'],
            additionalProperties: false,
          },
          strict: true,
        },
      },
      safety_identifier: 'user-1234',
      metadata: { session: 'abc' },
      stream: true,
      store: false,
      include: ['reasoning.encrypted_content'],
    });
    expect(warnings.list).toEqual([]);
  });

  it('encodes images, files and assistant turns', () => {
    const { body } = encode(decode(fixture('request-conversation.json')));
    expect(body['instructions']).toBe('Answer in English.\n\nKeep answers under 20 words.');
    expect(body['input']).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is in these two pictures, and what does the PDF say?' },
          {
            type: 'input_image',
            image_url:
              'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
            detail: 'low',
          },
          { type: 'input_image', image_url: 'https://example.com/cat.jpg', detail: 'auto' },
          {
            type: 'input_file',
            filename: 'report.pdf',
            file_data: 'data:application/pdf;base64,JVBERi0xLjQK',
          },
        ],
      },
      {
        type: 'message',
        role: 'assistant',
        content: [
          {
            type: 'output_text',
            text: 'A red square and a cat. The PDF is a quarterly report.',
            annotations: [],
          },
        ],
      },
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'Which quarter?' },
          { type: 'input_file', file_id: 'file-6F2ksmvXxt4VdoqmHRw6kL' },
        ],
      },
    ]);
    expect(body['store']).toBe(false);
    expect(body['stream']).toBe(false);
  });

  it.each([
    'request-text.json',
    'request-conversation.json',
    'request-tools.json',
    'request-unsupported.json',
  ])('keeps the meaning of %s through decode, encode and decode', (name) => {
    const first = decode(fixture(name));
    const again = decode(encode(first).body);
    expect(meaning(again)).toEqual(meaning(first));
  });

  it('sends only OpenAI reasoning upstream and reports what it leaves out', () => {
    const { body, warnings } = encode({
      model: 'm',
      system: [],
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'Claude thinking', origin: 'claude', signature: 'sig' },
            { type: 'reasoning', text: 'stored only', origin: 'openai-responses', itemId: 'rs_1' },
            { type: 'text', text: 'Hello', thoughtSignature: 'g1' },
            { type: 'text', text: 'No.', refusal: true },
            { type: 'tool-call', id: 'call_0_0', name: 'f', arguments: '{}', thoughtSignature: 'g2' },
          ],
        },
        {
          role: 'user',
          parts: [{ type: 'tool-result', callId: 'call_0_0', content: [], isError: true }],
        },
      ],
      tools: [{ name: 'f', parameters: { type: 'object' } }],
      toolChoice: { type: 'tool', name: 'f' },
      reasoning: { enabled: true, budgetTokens: 3000 },
      responseFormat: { type: 'json-schema', schema: { type: 'object' } },
      topK: 40,
      stop: ['END'],
      seed: 7,
      stream: false,
    });
    expect(body['input']).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
      {
        type: 'message',
        role: 'assistant',
        content: [
          { type: 'output_text', text: 'Hello', annotations: [] },
          { type: 'refusal', refusal: 'No.' },
        ],
      },
      { type: 'function_call', call_id: 'call_0_0', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_0_0', output: '' },
    ]);
    // Responses function tools are strict unless told otherwise, which would reject loose schemas.
    expect(body['tools']).toEqual([
      { type: 'function', name: 'f', parameters: { type: 'object' }, strict: false },
    ]);
    expect(body['tool_choice']).toEqual({ type: 'function', name: 'f' });
    expect(body['reasoning']).toEqual({ effort: 'medium' });
    expect(body['text']).toEqual({
      format: { type: 'json_schema', name: 'response', schema: { type: 'object' } },
    });
    expect(warnings.list.map((w) => `${w.kind}=${w.field}`)).toEqual([
      'dropped=messages[1].parts[0]',
      'dropped=messages[1].parts[1]',
      'dropped=messages[1].parts[2].thoughtSignature',
      'dropped=messages[1].parts[4].thoughtSignature',
      'approximated=messages[2].parts[0].isError',
      'dropped=topK',
      'dropped=stop',
      'dropped=seed',
    ]);
  });

  it('leaves reasoning at the model default when the client turned it off', () => {
    const request: CanonicalRequest = {
      model: 'm',
      system: [],
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }],
      tools: [],
      reasoning: { enabled: false },
      stream: true,
    };
    const { body, warnings } = encode(request);
    expect(body['reasoning']).toBeUndefined();
    expect(warnings.list.map((w) => w.field)).toEqual(['reasoning.enabled']);
    expect(
      encode({ ...request, reasoning: { enabled: true, effort: 'low', includeThoughts: true } }).body[
        'reasoning'
      ],
    ).toEqual({
      effort: 'low',
      summary: 'auto',
    });
  });

  it('asks for encrypted reasoning only when reasoning is on or continued', () => {
    const plain: CanonicalRequest = {
      model: 'm',
      system: [],
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }],
      tools: [],
      stream: false,
    };
    const include = (request: CanonicalRequest): unknown => encode(request).body['include'];
    // Models that do not reason refuse the include: a plain request must not carry it.
    expect(include(plain)).toBeUndefined();
    expect(include({ ...plain, reasoning: { enabled: false } })).toBeUndefined();
    expect(encode(plain).body['store']).toBe(false);
    expect(include({ ...plain, reasoning: { enabled: true, effort: 'low' } })).toEqual([
      'reasoning.encrypted_content',
    ]);
    const continued: CanonicalRequest = {
      ...plain,
      messages: [
        ...plain.messages,
        {
          role: 'assistant',
          parts: [
            {
              type: 'reasoning',
              text: '',
              origin: 'openai-responses',
              itemId: 'rs_1',
              encryptedContent: 'gAAAA-sealed',
            },
            { type: 'text', text: 'Hello' },
          ],
        },
        { role: 'user', parts: [{ type: 'text', text: 'And then?' }] },
      ],
    };
    expect(include(continued)).toEqual(['reasoning.encrypted_content']);
    // Another provider's reasoning is not sent, so there is nothing of OpenAI's to continue.
    const foreign = structuredClone(continued);
    foreign.messages[1]!.parts[0] = { type: 'reasoning', text: 'thought', origin: 'claude', signature: 's' };
    expect(include(foreign)).toBeUndefined();
  });

  it('names base64 documents that came without a file name', () => {
    const { body } = encode({
      model: 'm',
      system: [],
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'document', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBE' } },
          ],
        },
      ],
      tools: [],
      stream: false,
    });
    expect(body['input']).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_file', filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBE' },
        ],
      },
    ]);
  });
});
