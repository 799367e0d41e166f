import { describe, expect, it } from 'vitest';
import { compilePriceRule, parsePriceRule, priceRuleSchema, pricesForPrompt } from './price-rule';

function issues(input: unknown): string[] {
  const parsed = parsePriceRule(input);
  if (parsed.ok) throw new Error('expected the rule to be rejected');
  return parsed.issues;
}

describe('priceRuleSchema', () => {
  it('accepts a minimal rule and fills the defaults', () => {
    const rule = priceRuleSchema.parse({ model: 'gpt-4o', input: '2.50', output: 10 });
    expect(rule).toEqual({
      provider: null,
      model: 'gpt-4o',
      match: 'exact',
      input: '2.5',
      output: '10',
      cached_input: null,
      cache_write_5m: null,
      cache_write_1h: null,
      reasoning: null,
      image_input: null,
      tiers: [],
      effective_from: null,
      source: null,
    });
  });

  it('round-trips: a validated rule validates to itself', () => {
    const rule = priceRuleSchema.parse({
      provider: 'bedrock-us',
      model: '*anthropic.claude-sonnet-4-*',
      match: 'glob',
      input: 3,
      output: '15.00',
      cache_write_5m: '3.75',
      tiers: [{ above_input_tokens: 200_000, input: '6', output: 22.5 }],
      effective_from: '2026-01-01',
      source: 'contract 42',
    });
    expect(priceRuleSchema.parse(rule)).toEqual(rule);
  });

  it('names the field of every problem', () => {
    expect(issues({ model: 'x', input: '-1', output: '1' })).toEqual([
      'input: Must be a non-negative decimal (USD per 1M tokens), e.g. "2.50"',
    ]);
    expect(issues({ model: 'x', input: '1', output: '0.0000001' })).toEqual([
      'output: Must have at most 6 decimal places',
    ]);
    expect(issues({ model: 'x', input: true, output: '1' })[0]).toMatch(/^input: Must be a decimal string/);
    expect(issues({ model: 'x', output: '1' })[0]).toMatch(/^input: /);
    expect(issues({ model: '', input: '1', output: '1' })).toEqual(['model: Must not be empty']);
    expect(issues({ model: 'x', input: '1', output: '1', match: 'regex' })).toEqual([
      'match: Must be "exact" or "glob"',
    ]);
    expect(issues({ model: 'x', input: '1', output: '1', cahced_input: '1' })[0]).toMatch(/cahced_input/);
    expect(issues({ model: 'x', input: '1', output: '1', effective_from: 'June' })[0]).toMatch(
      /^effective_from: /,
    );
    expect(issues({ model: 'x', input: '1', output: '1', image_input: '1000000' })[0]).toMatch(
      /^image_input: Must be at most/,
    );
  });

  it('checks tiers: a price each, increasing thresholds, field paths inside the tier', () => {
    expect(issues({ model: 'x', input: '1', output: '1', tiers: [{ above_input_tokens: 10 }] })).toEqual([
      'tiers[0]: A tier must set at least one price',
    ]);
    expect(
      issues({
        model: 'x',
        input: '1',
        output: '1',
        tiers: [
          { above_input_tokens: 200_000, input: '2' },
          { above_input_tokens: 100_000, input: '3' },
        ],
      }),
    ).toEqual([
      'tiers[1].above_input_tokens: Tiers must be in increasing order of above_input_tokens, without repeats',
    ]);
    expect(
      issues({ model: 'x', input: '1', output: '1', tiers: [{ above_input_tokens: 1000, output: 'lots' }] }),
    ).toEqual(['tiers[0].output: Must be a non-negative decimal (USD per 1M tokens), e.g. "2.50"']);
  });

  it('accepts dates and zoned date-times for effective_from', () => {
    for (const ok of ['2026-07-01', '2026-07-01T09:30:00Z', '2026-07-01T09:30+02:00']) {
      expect(parsePriceRule({ model: 'x', input: '1', output: '1', effective_from: ok }).ok).toBe(true);
    }
    for (const bad of ['2026-13-01', '2026-02-30', '2026-07-01T09:30:00', '01/07/2026']) {
      expect(parsePriceRule({ model: 'x', input: '1', output: '1', effective_from: bad }).ok).toBe(false);
    }
  });
});

describe('compilePriceRule', () => {
  it('compiles prices to pico-USD per token and tiers inherit unset prices from the base', () => {
    const compiled = compilePriceRule(
      priceRuleSchema.parse({
        model: 'm',
        input: '3',
        output: '15',
        cached_input: '0.3',
        tiers: [{ above_input_tokens: 200_000, input: '6' }],
        effective_from: '2026-07-01',
      }),
    );
    expect(compiled.base.input).toBe(3_000_000n);
    expect(compiled.base.cachedInput).toBe(300_000n);
    expect(compiled.base.cacheWrite5m).toBeNull();
    expect(compiled.tiers[0]?.prices).toMatchObject({
      input: 6_000_000n,
      output: 15_000_000n,
      cachedInput: 300_000n,
    });
    expect(compiled.effectiveFrom).toBe(Date.parse('2026-07-01T00:00:00Z'));
    expect(compiled.pattern).toBeNull();
  });

  it('selects the highest tier whose threshold the prompt exceeds', () => {
    const compiled = compilePriceRule(
      priceRuleSchema.parse({
        model: 'm',
        input: '1',
        output: '1',
        tiers: [
          { above_input_tokens: 100, input: '2' },
          { above_input_tokens: 1000, input: '3' },
        ],
      }),
    );
    expect(pricesForPrompt(compiled, 100).tier).toBeNull();
    expect(pricesForPrompt(compiled, 101).tier?.aboveInputTokens).toBe(100);
    expect(pricesForPrompt(compiled, 1000).prices.input).toBe(2_000_000n);
    expect(pricesForPrompt(compiled, 1001).prices.input).toBe(3_000_000n);
  });
});
