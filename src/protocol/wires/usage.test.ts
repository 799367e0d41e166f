import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WireKind } from '../operation';
import type { Usage } from '../usage';
import type { StreamUsageReader } from '../wire';
import { GENERATE_CONTENT_WIRES } from './index';

const fixture = (wire: WireKind, name: string): string =>
  readFileSync(join(import.meta.dirname, wire, 'generate-content', 'fixtures', name), 'utf8');

const enc = new TextEncoder();

function readAll(reader: StreamUsageReader, chunks: Uint8Array[]): Usage | undefined {
  for (const chunk of chunks) reader.push(chunk);
  return reader.finish();
}

interface StreamCase {
  wire: WireKind;
  format: 'sse' | 'json-array';
  file: string;
  expected: Usage;
}

const usage = (
  inputTokens: number,
  outputTokens: number,
  cachedInputTokens: number,
  cacheCreationTokens: number,
  reasoningTokens: number,
): Usage => ({ inputTokens, outputTokens, cachedInputTokens, cacheCreationTokens, reasoningTokens });

const RESPONSES: Array<{ wire: WireKind; expected: Usage }> = [
  { wire: 'openai-chat', expected: usage(1117, 46, 1024, 0, 0) },
  { wire: 'openai-responses', expected: usage(328, 52, 256, 0, 32) },
  // Claude's input_tokens (12) excludes cache reads (2000) and writes (100): normalized input adds them.
  { wire: 'claude', expected: usage(2112, 48, 2000, 100, 0) },
  // Gemini's thoughts (25) are output tokens reported apart from candidates (30).
  { wire: 'gemini', expected: usage(20, 55, 8, 0, 25) },
];

const STREAMS: StreamCase[] = [
  { wire: 'openai-chat', format: 'sse', file: 'stream.sse', expected: usage(19, 6, 0, 0, 0) },
  { wire: 'openai-responses', format: 'sse', file: 'stream.sse', expected: usage(328, 52, 256, 0, 32) },
  { wire: 'claude', format: 'sse', file: 'stream.sse', expected: usage(2112, 48, 2000, 100, 0) },
  { wire: 'gemini', format: 'sse', file: 'stream.sse', expected: usage(20, 55, 8, 0, 25) },
  { wire: 'gemini', format: 'json-array', file: 'stream-json-array.txt', expected: usage(20, 55, 8, 0, 25) },
];

describe('usageFromResponse', () => {
  it.each(RESPONSES)('$wire reads the usage of a recorded answer', ({ wire, expected }) => {
    const json: unknown = JSON.parse(fixture(wire, 'response.json'));
    expect(GENERATE_CONTENT_WIRES[wire].usageFromResponse(json)).toEqual(expected);
  });

  it.each(RESPONSES)('$wire returns undefined when no usage is reported', ({ wire }) => {
    const reader = GENERATE_CONTENT_WIRES[wire];
    expect(reader.usageFromResponse({ id: 'x' })).toBeUndefined();
    expect(reader.usageFromResponse(null)).toBeUndefined();
    expect(reader.usageFromResponse('text')).toBeUndefined();
    expect(reader.usageFromResponse({ usage: null, usageMetadata: null })).toBeUndefined();
  });

  it('reads OpenAI cache writes and ignores garbage counts', () => {
    const json = {
      usage: {
        prompt_tokens: 10,
        completion_tokens: 'many',
        prompt_tokens_details: { cache_write_tokens: 4 },
      },
    };
    expect(GENERATE_CONTENT_WIRES['openai-chat'].usageFromResponse(json)).toEqual(usage(10, 0, 0, 4, 0));
  });

  it('reads Claude thinking tokens and tolerates null cache fields', () => {
    const json = {
      usage: {
        input_tokens: 5,
        output_tokens: 9,
        cache_read_input_tokens: null,
        cache_creation_input_tokens: null,
        output_tokens_details: { thinking_tokens: 7 },
      },
    };
    expect(GENERATE_CONTENT_WIRES.claude.usageFromResponse(json)).toEqual(usage(5, 9, 0, 0, 7));
  });

  it('adds Gemini tool-use prompt tokens to the input', () => {
    const json = {
      usageMetadata: { promptTokenCount: 10, toolUsePromptTokenCount: 3, candidatesTokenCount: 2 },
    };
    expect(GENERATE_CONTENT_WIRES.gemini.usageFromResponse(json)).toEqual(usage(13, 2, 0, 0, 0));
  });
});

describe('createStreamUsageReader', () => {
  it.each(STREAMS)('$wire ($format) reads the stream in one chunk', ({ wire, format, file, expected }) => {
    const reader = GENERATE_CONTENT_WIRES[wire].createStreamUsageReader(format);
    expect(readAll(reader, [enc.encode(fixture(wire, file))])).toEqual(expected);
  });

  it.each(STREAMS)(
    '$wire ($format) reads the stream split at every byte',
    ({ wire, format, file, expected }) => {
      const bytes = enc.encode(fixture(wire, file));
      for (let i = 0; i <= bytes.length; i++) {
        const reader = GENERATE_CONTENT_WIRES[wire].createStreamUsageReader(format);
        const got = readAll(reader, [bytes.subarray(0, i), bytes.subarray(i)]);
        expect(got, `split at ${i}`).toEqual(expected);
      }
    },
  );

  it.each(STREAMS)(
    '$wire ($format) reads the stream in 7-byte chunks',
    ({ wire, format, file, expected }) => {
      const bytes = enc.encode(fixture(wire, file));
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
      const reader = GENERATE_CONTENT_WIRES[wire].createStreamUsageReader(format);
      expect(readAll(reader, chunks)).toEqual(expected);
    },
  );

  it.each(STREAMS)('$wire ($format) returns undefined for a stream without usage', ({ wire, format }) => {
    const reader = GENERATE_CONTENT_WIRES[wire].createStreamUsageReader(format);
    expect(
      readAll(reader, [enc.encode(format === 'sse' ? 'data: {"x":1}\n\n' : '[{"x":1}]')]),
    ).toBeUndefined();
  });

  it.each(STREAMS)('$wire ($format) ignores garbage without throwing', ({ wire, format, file, expected }) => {
    const reader = GENERATE_CONTENT_WIRES[wire].createStreamUsageReader(format);
    const noise =
      format === 'sse'
        ? 'data: {not json "usage" usageMetadata\n\ndata: {"usage":7,"usageMetadata":[],"type":"message_delta"}\n\n'
        : '';
    const got = readAll(reader, [
      enc.encode(noise),
      enc.encode(fixture(wire, file)),
      new Uint8Array([0xff, 0xfe]),
    ]);
    expect(got).toEqual(expected);
  });

  it('claude: later message_delta values win field by field', () => {
    const reader = GENERATE_CONTENT_WIRES.claude.createStreamUsageReader('sse');
    const text = [
      'event: message_start',
      'data: {"type":"message_start","message":{"usage":{"input_tokens":3,"cache_read_input_tokens":4,"output_tokens":1}}}',
      '',
      'event: message_delta',
      'data: {"type":"message_delta","usage":{"output_tokens":10}}',
      '',
      'event: message_delta',
      'data: {"type":"message_delta","usage":{"input_tokens":5,"cache_read_input_tokens":null,"output_tokens":20}}',
      '',
      '',
    ].join('\n');
    expect(readAll(reader, [enc.encode(text)])).toEqual(usage(9, 20, 4, 0, 0));
  });

  it('openai-responses: reads usage from response.incomplete and events without an event line', () => {
    const reader = GENERATE_CONTENT_WIRES['openai-responses'].createStreamUsageReader('sse');
    const data = { type: 'response.incomplete', response: { usage: { input_tokens: 4, output_tokens: 2 } } };
    expect(readAll(reader, [enc.encode(`data: ${JSON.stringify(data)}\n\n`)])).toEqual(usage(4, 2, 0, 0, 0));
  });

  it('openai-chat: ignores the null usage of ordinary chunks', () => {
    const reader = GENERATE_CONTENT_WIRES['openai-chat'].createStreamUsageReader('sse');
    const text =
      'data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1}}\n\n' +
      'data: {"choices":[{"delta":{}}],"usage":null}\n\ndata: [DONE]\n\n';
    expect(readAll(reader, [enc.encode(text)])).toEqual(usage(3, 1, 0, 0, 0));
  });
});
