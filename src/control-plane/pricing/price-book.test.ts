import { describe, expect, it } from 'vitest';
import type { PriceRuleRecord } from '../model';
import { buildPriceBook, findPrice, ledgerCost } from './price-book';
import { priceRuleSchema } from './price-rule';

const record = (name: string, position: number, input: Record<string, unknown>): PriceRuleRecord => ({
  id: name,
  name,
  position,
  rule: priceRuleSchema.parse(input),
});

const usage = {
  inputTokens: 10,
  outputTokens: 5,
  cachedInputTokens: 0,
  cacheCreationTokens: 0,
  reasoningTokens: 0,
};

describe('price book', () => {
  it('puts operator rules, in position order, before the catalogue, and names what it applied', () => {
    const book = buildPriceBook([
      record('second', 1, { model: 'gpt-4o-mini', input: 9, output: 9 }),
      record('first', 0, { model: 'gpt-4o-mini', input: 1, output: 2 }),
    ]);
    const rule = findPrice(book, 'oa', 'gpt-4o-mini', Date.now());
    expect(rule === null ? null : book.nameOf(rule)).toBe('first');
    expect(ledgerCost(book, { provider: 'oa', model: 'gpt-4o-mini', at: 0 }, usage)).toEqual({
      costPicoUsd: String(10 * 1_000_000 + 5 * 2_000_000),
      priced: true,
      priceRule: 'first',
    });
    // Without operator rules, the catalogue prices it under its own name.
    const catalogue = buildPriceBook([]);
    expect(ledgerCost(catalogue, { provider: 'oa', model: 'gpt-4o-mini', at: 0 }, usage).priceRule).toBe(
      'catalogue:gpt-4o-mini',
    );
  });

  it('leaves an unknown model unpriced: null cost, never "0"', () => {
    const book = buildPriceBook([]);
    expect(ledgerCost(book, { provider: 'x', model: 'no-such-model', at: 0 }, usage)).toEqual({
      costPicoUsd: null,
      priced: false,
      priceRule: null,
    });
    expect(ledgerCost(book, { provider: null, model: null, at: 0 }, usage).priced).toBe(false);
  });

  it('bills the 1-hour share of cache writes at its own price', () => {
    const book = buildPriceBook([
      record('c', 0, { model: 'm', input: 1, output: 1, cache_write_5m: 2, cache_write_1h: 4 }),
    ]);
    const cost = ledgerCost(
      book,
      { provider: null, model: 'm', at: 0 },
      { ...usage, cacheCreationTokens: 5, cacheCreation1hTokens: 3 },
    );
    // 5 uncached input at 1, 2 five-minute writes at 2, 3 one-hour writes at 4, 5 output at 1.
    expect(cost.costPicoUsd).toBe(String((5 * 1 + 2 * 2 + 3 * 4 + 5 * 1) * 1_000_000));
  });
});
