/** Builders for pricing tests: a compiled rule from the bundle shape, with defaults filled in. */
import { compilePriceRule, priceRuleSchema } from './price-rule';
import type { CompiledPriceRule, PriceRuleInput } from './price-rule';

export function rule(input: Partial<PriceRuleInput> & { model: string }): CompiledPriceRule {
  return compilePriceRule(priceRuleSchema.parse({ input: '1', output: '2', ...input }));
}

/** Midday on a fixed day: the time every test resolves at unless it says otherwise. */
export const NOW = Date.parse('2026-06-01T12:00:00Z');
