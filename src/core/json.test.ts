import { describe, expect, it } from 'vitest';
import { findTopLevelStringField, replaceTopLevelStringField, tryParseJson } from './json';

function valueAt(text: string, key: string): string | undefined {
  const span = findTopLevelStringField(text, key);
  return span ? text.slice(span.start, span.end) : undefined;
}

describe('findTopLevelStringField', () => {
  it('finds a simple top-level string value, quotes included', () => {
    const text = '{"model":"gpt-4o","stream":true}';
    expect(findTopLevelStringField(text, 'model')).toEqual({ start: 9, end: 17 });
    expect(valueAt(text, 'model')).toBe('"gpt-4o"');
  });

  it('skips the key when it appears in nested objects, arrays and strings first', () => {
    const text = JSON.stringify({
      metadata: { model: 'nested' },
      messages: [{ role: 'user', content: '"model":"in-a-string"' }, ['model', { model: 'x' }]],
      note: 'say \\"model\\": \\"fake\\"',
      model: 'real',
    });
    expect(valueAt(text, 'model')).toBe('"real"');
  });

  it('handles whitespace, escaped quotes and backslashes before the key', () => {
    const text = '{ \n "a" : "x\\"}\\\\" ,\t"b":[1,{"c":"]}"}] ,\r\n "model"\n:\n "m\\"1" }';
    expect(valueAt(text, 'model')).toBe('"m\\"1"');
    expect(JSON.parse(valueAt(text, 'model')!)).toBe('m"1');
  });

  it('handles unicode in values and escaped keys', () => {
    const text = '{"prompt":"héllo 🎉 \\u00e9","mod\\u0065l":"gémini"}';
    expect(valueAt(text, 'model')).toBe('"gémini"');
  });

  it('returns undefined when the key is absent, not a string, or the text is not an object', () => {
    expect(findTopLevelStringField('{"a":{"model":"x"}}', 'model')).toBeUndefined();
    expect(findTopLevelStringField('{"model":null}', 'model')).toBeUndefined();
    expect(findTopLevelStringField('{"model":42}', 'model')).toBeUndefined();
    expect(findTopLevelStringField('{"model":{"id":"x"}}', 'model')).toBeUndefined();
    expect(findTopLevelStringField('["model","x"]', 'model')).toBeUndefined();
    expect(findTopLevelStringField('{}', 'model')).toBeUndefined();
    expect(findTopLevelStringField('', 'model')).toBeUndefined();
  });

  it('returns undefined for truncated or malformed objects', () => {
    expect(findTopLevelStringField('{"model":"x', 'model')).toBeUndefined();
    expect(findTopLevelStringField('{"model" "x"}', 'model')).toBeUndefined();
    expect(findTopLevelStringField('{"a":[1,2', 'model')).toBeUndefined();
    expect(findTopLevelStringField('{"model":"x" "b":1}', 'model')).toBeUndefined();
  });

  it('reports the last duplicate, as JSON.parse reads it', () => {
    const text = '{"model":"first","model":"second"}';
    expect(valueAt(text, 'model')).toBe('"second"');
  });

  it('does not match a key that only starts like the one looked for', () => {
    expect(valueAt('{"models":"a","model_id":"b","model":"c"}', 'model')).toBe('"c"');
  });
});

describe('replaceTopLevelStringField', () => {
  it('splices the new value in without touching the rest of the text', () => {
    const text = '{ "model" : "alias",  "temperature": 1.50, "x": {"model":"keep"} }';
    expect(replaceTopLevelStringField(text, 'model', 'gpt-4o-2024')).toBe(
      '{ "model" : "gpt-4o-2024",  "temperature": 1.50, "x": {"model":"keep"} }',
    );
  });

  it('escapes the new value as JSON', () => {
    const out = replaceTopLevelStringField('{"model":"a"}', 'model', 'we"ird\\né');
    expect(JSON.parse(out)).toEqual({ model: 'we"ird\\né' });
  });

  it('returns the text unchanged when the field is absent or not a string', () => {
    expect(replaceTopLevelStringField('{"a":1}', 'model', 'x')).toBe('{"a":1}');
    expect(replaceTopLevelStringField('{"model":1}', 'model', 'x')).toBe('{"model":1}');
    expect(replaceTopLevelStringField('not json', 'model', 'x')).toBe('not json');
  });

  it('rewrites every duplicate so no upstream parser can read the client value', () => {
    const out = replaceTopLevelStringField('{"model":"a","n":1,"model":"bb"}', 'model', 'up');
    expect(out).toBe('{"model":"up","n":1,"model":"up"}');
  });
});

describe('tryParseJson', () => {
  it('returns the value or the parse error', () => {
    expect(tryParseJson('{"a":[1]}')).toEqual({ ok: true, value: { a: [1] } });
    const bad = tryParseJson('{"a":');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.length).toBeGreaterThan(0);
  });
});
