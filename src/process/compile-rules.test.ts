import { describe, expect, it } from 'vitest';
import { applyBodyRules, applyHeaderRules } from './apply-rules';
import { compiledRuleSets, compileRuleSets, selectRules } from './compile-rules';
import { compileModelGlob } from './model-glob';
import type { RuleFacts, RuleSetInput } from './rule-types';

const facts = (overrides: Partial<RuleFacts> = {}): RuleFacts => ({
  model: 'gpt-4o-mini',
  operation: 'generate-content',
  wire: 'openai-chat',
  stream: false,
  ...overrides,
});

const sets: RuleSetInput[] = [
  {
    name: 'first',
    rules: [
      { action: 'set_header', header: 'X-Team', value: 'red' },
      { action: 'set_field', path: '/metadata/source', value: 'gproxy', when: { models: ['gpt-4o*'] } },
      { action: 'remove_field', path: '/temperature', when: { wires: ['claude'] } },
    ],
  },
  {
    name: 'second',
    rules: [
      { action: 'set_field', path: '/metadata/source', value: 'second wins', when: { stream: true } },
      {
        action: 'set_response_header',
        header: 'x-served-by',
        value: 'gproxy',
        when: { operations: ['count-tokens'] },
      },
      { action: 'default_header', header: 'x-team', value: 'blue' },
    ],
  },
];

describe('model globs', () => {
  it('matches * across slashes, ? as one character, the rest literally', () => {
    expect(compileModelGlob('meta-llama/*').test('meta-llama/llama-3.1-8b')).toBe(true);
    expect(compileModelGlob('gpt-4?').test('gpt-4o')).toBe(true);
    expect(compileModelGlob('gpt-4?').test('gpt-4o-mini')).toBe(false);
    expect(compileModelGlob('gpt-4.1').test('gpt-441')).toBe(false);
    expect(compileModelGlob('*').test('')).toBe(true);
  });
});

describe('selectRules', () => {
  it('keeps the rules whose conditions hold, in set order then rule order', () => {
    const compiled = compileRuleSets(sets);
    const selected = selectRules(compiled, facts({ stream: true }));
    expect(selected?.ruleSets).toEqual(['first', 'second']);
    expect(selected?.body.map((edit) => edit.value)).toEqual(['gproxy', 'second wins']);
    expect(selected?.requestHeaders).toEqual([
      { kind: 'set', name: 'x-team', value: 'red' },
      { kind: 'default', name: 'x-team', value: 'blue' },
    ]);
    expect(selected?.responseHeaders).toEqual([]);
  });

  it('tests every condition of a rule: model, wire, operation and stream', () => {
    const compiled = compileRuleSets(sets);
    const other = selectRules(
      compiled,
      facts({ model: 'claude-haiku', wire: 'claude', operation: 'count-tokens' }),
    );
    expect(other?.body).toEqual([{ kind: 'remove', tokens: ['temperature'], value: undefined }]);
    expect(other?.responseHeaders).toEqual([{ kind: 'set', name: 'x-served-by', value: 'gproxy' }]);
  });

  it('answers null when no rule applies, and names only the sets that contributed', () => {
    const only = compileRuleSets([
      { name: 'streams', rules: [{ action: 'remove_header', header: 'x-a', when: { stream: true } }] },
    ]);
    expect(selectRules(only, facts())).toBeNull();
    expect(selectRules(compileRuleSets([{ name: 'empty', rules: [] }]), facts())).toBeNull();
    const partly = selectRules(compileRuleSets(sets), facts({ model: 'o3' }));
    expect(partly?.ruleSets).toEqual(['first', 'second']);
    expect(partly?.body).toEqual([]);
  });

  it('returns one precomputed selection when no rule has a condition', () => {
    const compiled = compileRuleSets([
      { name: 'plain', rules: [{ action: 'set_header', header: 'a', value: '1' }] },
    ]);
    expect(selectRules(compiled, facts())).toBe(selectRules(compiled, facts({ model: 'x', stream: true })));
  });

  it('compiles a source array once and a new array (the next snapshot) again', () => {
    const source = Object.freeze([...sets]);
    expect(compiledRuleSets(source)).toBe(compiledRuleSets(source));
    expect(compiledRuleSets([...sets])).not.toBe(compiledRuleSets(source));
  });
});

describe('applyBodyRules', () => {
  const selected = (): NonNullable<ReturnType<typeof selectRules>> => {
    const result = selectRules(compileRuleSets(sets), facts({ stream: true }));
    if (result === null) throw new Error('expected rules');
    return result;
  };

  it('returns the very same text when no edit changes anything (no re-serialization)', () => {
    const text = '{ "model" : "m",  "n": 1.0 }';
    expect(applyBodyRules(text, [])).toBe(text);
    expect(applyBodyRules(text, [{ kind: 'remove', tokens: ['absent'], value: undefined }])).toBe(text);
  });

  it('applies edits in order: a later set replaces an earlier one', () => {
    const out = applyBodyRules('{"model":"m","metadata":{"x":1}}', selected().body);
    expect(JSON.parse(out)).toEqual({ model: 'm', metadata: { x: 1, source: 'second wins' } });
  });

  it('leaves a body that is not JSON as it is', () => {
    expect(applyBodyRules('not json', selected().body)).toBe('not json');
  });
});

describe('applyHeaderRules', () => {
  it('sets, defaults and removes case-insensitively, keeping the existing name', () => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Debug': '1' };
    applyHeaderRules(headers, [
      { kind: 'set', name: 'content-type', value: 'application/json; charset=utf-8' },
      { kind: 'default', name: 'x-team', value: 'red' },
      { kind: 'default', name: 'x-team', value: 'blue' },
      { kind: 'remove', name: 'x-debug', value: '' },
      { kind: 'set', name: '__proto__', value: 'plain' },
    ]);
    expect(headers).toEqual({
      'Content-Type': 'application/json; charset=utf-8',
      'x-team': 'red',
      ['__proto__']: 'plain',
    });
  });
});
