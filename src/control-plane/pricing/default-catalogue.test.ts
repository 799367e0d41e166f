import { describe, expect, it } from 'vitest';
import { emptyBillableUsage } from './billable-usage';
import { computeCost } from './compute-cost';
import { CATALOGUE_DATE, DEFAULT_PRICE_RULES, defaultCatalogue } from './default-catalogue';
import { formatUsd } from './money';
import { priceRuleSchema } from './price-rule';
import { resolvePrice } from './resolve-price';
import { NOW, rule } from './test-rules';

const priceOf = (model: string, provider: string | null = 'any') =>
  resolvePrice(defaultCatalogue(), { provider, model, at: NOW });

describe('default catalogue', () => {
  it('is dated and every rule is a valid, sourced, global rule', () => {
    expect(CATALOGUE_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(DEFAULT_PRICE_RULES.length).toBeGreaterThan(40);
    for (const entry of DEFAULT_PRICE_RULES) {
      expect(priceRuleSchema.parse(entry)).toEqual(entry);
      expect(entry.provider).toBeNull();
      expect(entry.source).toContain(CATALOGUE_DATE);
    }
  });

  it('lists each exact id once', () => {
    const ids = DEFAULT_PRICE_RULES.filter((r) => r.match === 'exact').map((r) => r.model);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('prices the built-in channels’ current models', () => {
    expect(priceOf('gpt-4o')?.rule).toMatchObject({ input: '2.5', cached_input: '1.25', output: '10' });
    expect(priceOf('gpt-4.1-nano-2025-04-14')?.rule).toMatchObject({ input: '0.1', output: '0.4' });
    expect(priceOf('o4-mini')?.rule).toMatchObject({ input: '1.1', cached_input: '0.275', output: '4.4' });
    expect(priceOf('claude-sonnet-4-20250514')?.rule).toMatchObject({
      input: '3',
      cache_write_5m: '3.75',
      cache_write_1h: '6',
      cached_input: '0.3',
    });
    expect(priceOf('gemini-2.5-pro')?.tiers[0]?.aboveInputTokens).toBe(200_000);
    expect(priceOf('llama-3.3-70b-versatile')?.rule).toMatchObject({ input: '0.59', output: '0.79' });
  });

  it('maps Bedrock and Vertex ids of the same model to the same price', () => {
    const api = priceOf('claude-sonnet-4-20250514');
    for (const id of [
      'anthropic.claude-sonnet-4-20250514-v1:0',
      'us.anthropic.claude-sonnet-4-20250514-v1:0',
      'eu.anthropic.claude-sonnet-4-20250514-v1:0',
      'claude-sonnet-4@20250514',
    ]) {
      expect(priceOf(id)?.base, id).toEqual(api?.base);
      expect(priceOf(id)?.tiers, id).toEqual(api?.tiers);
    }
    expect(priceOf('global.anthropic.claude-sonnet-4-5-20250929-v1:0')?.base).toEqual(
      priceOf('claude-sonnet-4-5')?.base,
    );
  });

  it('leaves unconfirmed prices unpriced instead of guessing', () => {
    // Regional Bedrock profiles and Vertex ids of Sonnet 4.5+ carry a premium the id cannot show.
    expect(priceOf('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBeNull();
    expect(priceOf('claude-sonnet-4-5@20250929')).toBeNull();
    // A snapshot with a different price than its alias.
    expect(priceOf('gpt-4o-2024-05-13')).toBeNull();
    expect(priceOf('gpt-4o-audio-preview')).toBeNull();
    expect(priceOf('some-new-model')).toBeNull();
  });

  it('bills Gemini 2.5 Pro long prompts at the higher tier', () => {
    const pro = priceOf('gemini-2.5-pro');
    const turn = (inputTokens: number) => {
      const cost = computeCost(pro, { ...emptyBillableUsage(), inputTokens, outputTokens: 1000 });
      return cost.unpriced ? null : formatUsd(cost.totalPicoUsd);
    };
    expect(turn(200_000)).toBe('0.26'); // 200,000 x $1.25 + 1,000 x $10
    expect(turn(200_001)).toBe('0.5150025'); // 200,001 x $2.50 + 1,000 x $15
  });

  it('yields to an operator rule listed before it', () => {
    const operator = rule({ model: 'gpt-4o', input: '2', output: '8' });
    const found = resolvePrice([operator, ...defaultCatalogue()], {
      provider: 'oa',
      model: 'gpt-4o',
      at: NOW,
    });
    expect(found).toBe(operator);
  });
});
