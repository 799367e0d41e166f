import { describe, expect, it } from 'vitest';
import { compareSpecificity, compileGlob, globSpecificity } from './glob';
import { resolvePrice } from './resolve-price';
import { NOW, rule } from './test-rules';

const query = (model: string, provider: string | null = 'bedrock-us', at = NOW) => ({ provider, model, at });

describe('globs', () => {
  it('match the whole id; * any run, ? one character; everything else literal', () => {
    const sonnet = compileGlob('*anthropic.claude-sonnet-4-20250514-v1:0');
    expect(sonnet.test('anthropic.claude-sonnet-4-20250514-v1:0')).toBe(true);
    expect(sonnet.test('us.anthropic.claude-sonnet-4-20250514-v1:0')).toBe(true);
    expect(sonnet.test('us.anthropic.claude-sonnet-4-20250514-v1:0-extra')).toBe(false);
    expect(compileGlob('gpt-4.?').test('gpt-4.1')).toBe(true);
    expect(compileGlob('gpt-4.?').test('gpt-4x1')).toBe(false);
    expect(compileGlob('gpt-4.?').test('gpt-4.10')).toBe(false);
    expect(compileGlob('a+b(c)[d]{e}|f^$\\').test('a+b(c)[d]{e}|f^$\\')).toBe(true);
    expect(compileGlob('models/*').test('models/a/b')).toBe(true);
    expect(compileGlob('Claude-*').test('claude-x')).toBe(false);
  });

  it('rank by literal characters, then literal prefix, then fewer wildcards', () => {
    const order = ['*', 'anthropic.*', '*.anthropic.claude-sonnet-4*', 'claude-*-4*', 'claude-sonnet-4*'];
    const sorted = [...order].sort((a, b) => compareSpecificity(globSpecificity(a), globSpecificity(b)));
    expect(sorted).toEqual([
      '*.anthropic.claude-sonnet-4*',
      'claude-sonnet-4*',
      'anthropic.*',
      'claude-*-4*',
      '*',
    ]);
    // Same literals: the longer prefix wins, then fewer wildcards.
    expect(compareSpecificity(globSpecificity('ab*c'), globSpecificity('a*bc'))).toBeLessThan(0);
    expect(compareSpecificity(globSpecificity('abc*'), globSpecificity('abc**'))).toBeLessThan(0);
  });
});

describe('resolvePrice', () => {
  const providerExact = rule({ provider: 'bedrock-us', model: 'claude-x', input: '1' });
  const providerGlob = rule({ provider: 'bedrock-us', model: 'claude-*', match: 'glob', input: '2' });
  const globalExact = rule({ model: 'claude-x', input: '3' });
  const globalGlob = rule({ model: 'claude-*', match: 'glob', input: '4' });

  it('prefers provider exact > provider glob > global exact > global glob, whatever the order', () => {
    const all = [globalGlob, globalExact, providerGlob, providerExact];
    expect(resolvePrice(all, query('claude-x'))).toBe(providerExact);
    expect(resolvePrice([globalGlob, globalExact, providerGlob], query('claude-x'))).toBe(providerGlob);
    expect(resolvePrice([globalGlob, globalExact], query('claude-x'))).toBe(globalExact);
    expect(resolvePrice([globalGlob], query('claude-x'))).toBe(globalGlob);
    // Another provider sees only the global rules.
    expect(resolvePrice(all, query('claude-x', 'vertex-eu'))).toBe(globalExact);
    expect(resolvePrice(all, query('claude-y', 'vertex-eu'))).toBe(globalGlob);
    // A request with no provider (none selected) sees only global rules.
    expect(resolvePrice(all, query('claude-x', null))).toBe(globalExact);
  });

  it('picks the most specific glob within a scope', () => {
    const broad = rule({ model: '*', match: 'glob', input: '9' });
    const family = rule({ model: 'gpt-4o*', match: 'glob', input: '2.5' });
    const mini = rule({ model: 'gpt-4o-mini*', match: 'glob', input: '0.15' });
    const rules = [broad, family, mini];
    expect(resolvePrice(rules, query('gpt-4o-mini-2024-07-18'))).toBe(mini);
    expect(resolvePrice(rules, query('gpt-4o-2024-08-06'))).toBe(family);
    expect(resolvePrice(rules, query('o3'))).toBe(broad);
    // Specificity beats list order.
    expect(resolvePrice([mini, family, broad].reverse(), query('gpt-4o-mini'))).toBe(mini);
  });

  it('returns null (unpriced), never a made-up price, when nothing matches', () => {
    expect(resolvePrice([globalExact, providerExact], query('gpt-4o'))).toBeNull();
    expect(resolvePrice([], query('gpt-4o'))).toBeNull();
  });

  it('lets the earlier rule win a full tie: operator rules go before the catalogue', () => {
    const operator = rule({ model: 'gpt-4o', input: '2' });
    const catalogue = rule({ model: 'gpt-4o', input: '2.5' });
    expect(resolvePrice([operator, catalogue], query('gpt-4o'))).toBe(operator);
    const operatorGlob = rule({ model: 'gpt-4o*', match: 'glob', input: '2' });
    const catalogueGlob = rule({ model: 'gpt-4o*', match: 'glob', input: '2.5' });
    expect(resolvePrice([operatorGlob, catalogueGlob], query('gpt-4o'))).toBe(operatorGlob);
  });

  it('honours effective_from: future rules are ignored, the latest effective one wins', () => {
    const old = rule({ model: 'o3', input: '10' });
    const cut = rule({ model: 'o3', input: '2', effective_from: '2025-06-10' });
    const next = rule({ model: 'o3', input: '1', effective_from: '2027-01-01' });
    const rules = [next, old, cut];
    expect(resolvePrice(rules, query('o3', null, Date.parse('2025-06-09T23:59:59Z')))).toBe(old);
    expect(resolvePrice(rules, query('o3', null, Date.parse('2025-06-10T00:00:00Z')))).toBe(cut);
    expect(resolvePrice(rules, query('o3', null, NOW))).toBe(cut);
    expect(resolvePrice(rules, query('o3', null, Date.parse('2027-01-01T00:00:00Z')))).toBe(next);
    // A dated rule never beats a stronger class: scope and exactness come first.
    const scoped = rule({ provider: 'p', model: 'o3', input: '5' });
    expect(resolvePrice([cut, scoped], query('o3', 'p'))).toBe(scoped);
  });
});
