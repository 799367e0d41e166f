import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WireKind } from '../operation';
import { GENERATE_CONTENT_WIRES } from './index';

const WIRES: WireKind[] = ['openai-chat', 'openai-responses', 'claude', 'gemini'];
const fixture = (wire: WireKind): string =>
  readFileSync(join(import.meta.dirname, wire, 'generate-content', 'fixtures', 'response.json'), 'utf8');

describe('usageFromResponseText', () => {
  it.each(WIRES)('%s reads what usageFromResponse reads, compact or pretty-printed', (wire) => {
    const reader = GENERATE_CONTENT_WIRES[wire];
    const text = fixture(wire);
    const expected = reader.usageFromResponse(JSON.parse(text));
    expect(expected).toBeDefined();
    expect(reader.usageFromResponseText(text)).toEqual(expected);
    expect(reader.usageFromResponseText(JSON.stringify(JSON.parse(text)))).toEqual(expected);
    expect(reader.usageFromResponseText(JSON.stringify(JSON.parse(text), null, 4))).toEqual(expected);
  });

  it('reads only the top-level field, the last one when it is repeated, like JSON.parse', () => {
    const chat = GENERATE_CONTENT_WIRES['openai-chat'];
    const text =
      '{"usage":{"prompt_tokens":1},"choices":[{"message":{"content":"\\"usage\\":{\\"prompt_tokens\\":9}",' +
      '"usage":{"prompt_tokens":8}}}],"meta":{"usage":{"prompt_tokens":7}},"usage" : {"prompt_tokens":2}}';
    expect(chat.usageFromResponseText(text)).toEqual(chat.usageFromResponse(JSON.parse(text)));
    expect(chat.usageFromResponseText(text)?.inputTokens).toBe(2);
  });

  it.each(WIRES)(
    '%s returns undefined without usage, with null usage, or for text that is not an object',
    (wire) => {
      const reader = GENERATE_CONTENT_WIRES[wire];
      for (const text of [
        '{"id":"x"}',
        '{"usage":null,"usageMetadata":null}',
        '[]',
        'text',
        '',
        '{"usage":',
      ]) {
        expect(reader.usageFromResponseText(text), text).toBeUndefined();
      }
    },
  );
});
