import { describe, expect, it } from 'vitest';
import { parseJsonPointer } from '../core/json-pointer';
import { applyBodyEdit } from './json-pointer-edit';
import type { EditKind } from './rule-types';

function edit(root: unknown, kind: EditKind, pointer: string, value?: unknown): boolean {
  const parsed = parseJsonPointer(pointer);
  if (!parsed.ok) throw new Error(parsed.problem);
  return applyBodyEdit(root, { kind, tokens: parsed.tokens, value });
}

describe('applyBodyEdit', () => {
  it('sets a nested field, creating missing parent objects', () => {
    const body: Record<string, unknown> = { model: 'm' };
    expect(edit(body, 'set', '/metadata/user_id', 'u1')).toBe(true);
    expect(body).toEqual({ model: 'm', metadata: { user_id: 'u1' } });
  });

  it('default leaves present values alone, a present null included', () => {
    const body = { temperature: 0.2, top_p: null };
    expect(edit(body, 'default', '/temperature', 1)).toBe(false);
    expect(edit(body, 'default', '/top_p', 1)).toBe(false);
    expect(edit(body, 'default', '/max_tokens', 64)).toBe(true);
    expect(body).toEqual({ temperature: 0.2, top_p: null, max_tokens: 64 });
  });

  it('removes fields and array elements; removing what is absent changes nothing', () => {
    const body = { a: 1, list: ['x', 'y', 'z'] };
    expect(edit(body, 'remove', '/a')).toBe(true);
    expect(edit(body, 'remove', '/list/1')).toBe(true);
    expect(edit(body, 'remove', '/missing/deep')).toBe(false);
    expect(edit(body, 'remove', '/list/5')).toBe(false);
    expect(edit(body, 'remove', '/list/-')).toBe(false);
    expect(body).toEqual({ list: ['x', 'z'] });
  });

  it('addresses keys holding "/" and "~" through their escapes, and the empty key', () => {
    const body: Record<string, unknown> = {};
    edit(body, 'set', '/a~1b', 1);
    edit(body, 'set', '/c~0d', 2);
    edit(body, 'set', '/', 3);
    expect(body).toEqual({ 'a/b': 1, 'c~d': 2, '': 3 });
  });

  it('appends with "-" or the index equal to the length; replaces in range; skips past the end', () => {
    const body = { tags: ['a'] };
    expect(edit(body, 'set', '/tags/-', 'b')).toBe(true);
    expect(edit(body, 'set', '/tags/2', 'c')).toBe(true);
    expect(edit(body, 'set', '/tags/0', 'A')).toBe(true);
    expect(edit(body, 'set', '/tags/9', 'x')).toBe(false);
    expect(edit(body, 'set', '/tags/01', 'x')).toBe(false);
    expect(edit(body, 'default', '/tags/1', 'x')).toBe(false);
    expect(body).toEqual({ tags: ['A', 'b', 'c'] });
  });

  it('walks into array elements by index', () => {
    const body = { messages: [{ role: 'user', content: 'hi' }] };
    expect(edit(body, 'set', '/messages/0/name', 'alice')).toBe(true);
    expect(edit(body, 'set', '/messages/3/name', 'bob')).toBe(false);
    expect(body.messages).toEqual([{ role: 'user', content: 'hi', name: 'alice' }]);
  });

  it('never changes the type of a value the client sent: a scalar parent makes the edit a no-op', () => {
    const body = { metadata: 'text', n: null };
    expect(edit(body, 'set', '/metadata/user_id', 'u1')).toBe(false);
    expect(edit(body, 'set', '/n/x', 1)).toBe(false);
    expect(body).toEqual({ metadata: 'text', n: null });
  });

  it('treats __proto__ as an ordinary key and never touches Object.prototype', () => {
    const body = JSON.parse('{"__proto__": {"keep": true}}') as Record<string, unknown>;
    expect(edit(body, 'set', '/__proto__/polluted', 'yes')).toBe(true);
    expect(edit(body, 'set', '/constructor/prototype/polluted', 'yes')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(JSON.parse(JSON.stringify(body))).toEqual({
      ['__proto__']: { keep: true, polluted: 'yes' },
      constructor: { prototype: { polluted: 'yes' } },
    });
  });

  it('inserts a copy, so later edits never change the rule value itself', () => {
    const value = { level: 1 };
    const first = {};
    edit(first, 'set', '/meta', value);
    edit(first, 'set', '/meta/level', 2);
    expect(value).toEqual({ level: 1 });
  });

  it('does nothing to a body that is not an object or array', () => {
    expect(edit('text', 'set', '/a', 1)).toBe(false);
    expect(edit(null, 'set', '/a', 1)).toBe(false);
  });
});
