import { describe, expect, it } from 'vitest';
import { arrayIndexOf, parseJsonPointer } from './json-pointer';

describe('parseJsonPointer (RFC 6901)', () => {
  it('splits on "/" and unescapes ~1 to "/" and ~0 to "~", ~1 first', () => {
    expect(parseJsonPointer('/a/b~1c/m~0n')).toEqual({ ok: true, tokens: ['a', 'b/c', 'm~n'] });
    // `~01` is an escaped "~" followed by "1", never a "/".
    expect(parseJsonPointer('/~01')).toEqual({ ok: true, tokens: ['~1'] });
  });

  it('keeps empty tokens: "/" names the member with the empty key', () => {
    expect(parseJsonPointer('/')).toEqual({ ok: true, tokens: [''] });
    expect(parseJsonPointer('/a//b')).toEqual({ ok: true, tokens: ['a', '', 'b'] });
    expect(parseJsonPointer('')).toEqual({ ok: true, tokens: [] });
  });

  it('refuses pointers without a leading "/" and invalid escapes', () => {
    expect(parseJsonPointer('a/b')).toMatchObject({ ok: false, problem: expect.stringContaining('"/"') });
    expect(parseJsonPointer('/a~2')).toMatchObject({ ok: false, problem: expect.stringContaining('~') });
    expect(parseJsonPointer('/a~')).toMatchObject({ ok: false });
  });

  it('reads array indices without leading zeros', () => {
    expect(arrayIndexOf('0')).toBe(0);
    expect(arrayIndexOf('12')).toBe(12);
    expect(arrayIndexOf('01')).toBeNull();
    expect(arrayIndexOf('-')).toBeNull();
    expect(arrayIndexOf('1e2')).toBeNull();
  });
});
