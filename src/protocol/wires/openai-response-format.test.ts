import { describe, expect, it } from 'vitest';
import { decodeOpenAiResponseFormat, encodeOpenAiResponseFormat } from './openai-response-format';

describe('decodeOpenAiResponseFormat', () => {
  const never = (): void => {
    throw new Error('not unknown');
  };

  it('decodes the known types', () => {
    expect(decodeOpenAiResponseFormat(undefined, undefined, never)).toBeUndefined();
    expect(decodeOpenAiResponseFormat('text', undefined, never)).toEqual({ type: 'text' });
    expect(decodeOpenAiResponseFormat('json_object', undefined, never)).toEqual({ type: 'json-object' });
    expect(
      decodeOpenAiResponseFormat(
        'json_schema',
        { name: 'n', description: 'd', strict: true, schema: { type: 'object' } },
        never,
      ),
    ).toEqual({ type: 'json-schema', name: 'n', description: 'd', strict: true, schema: { type: 'object' } });
    expect(decodeOpenAiResponseFormat('json_schema', undefined, never)).toEqual({
      type: 'json-schema',
      schema: {},
    });
  });

  it('reports an unknown type and decodes nothing', () => {
    const unknown: unknown[] = [];
    expect(decodeOpenAiResponseFormat('grammar', undefined, (type) => unknown.push(type))).toBeUndefined();
    expect(unknown).toEqual(['grammar']);
  });
});

describe('encodeOpenAiResponseFormat', () => {
  it('places the schema fields where the wire wants them, naming an unnamed schema', () => {
    const format = { type: 'json-schema' as const, schema: { type: 'object' }, strict: false };
    expect(encodeOpenAiResponseFormat(format, (spec) => ({ json_schema: spec }))).toEqual({
      type: 'json_schema',
      json_schema: { name: 'response', schema: { type: 'object' }, strict: false },
    });
    expect(encodeOpenAiResponseFormat(format, (spec) => spec)).toEqual({
      type: 'json_schema',
      name: 'response',
      schema: { type: 'object' },
      strict: false,
    });
    expect(encodeOpenAiResponseFormat({ type: 'json-object' }, (spec) => spec)).toEqual({
      type: 'json_object',
    });
  });
});
