/**
 * The default price catalogue: list prices of current public models of the built-in channels,
 * as global price rules. Operators' rules go before it (see resolve-price.ts), so any entry here
 * can be overridden per provider or replaced globally. The prices and where each was read are in
 * catalogue/<provider>.ts; what is deliberately left out, and why, is in docs/billing.md.
 *
 * A model missing here is unpriced (flagged, never $0) until an operator adds a rule.
 */
import { ANTHROPIC_CATALOGUE } from './catalogue/anthropic';
import { expandCatalogue } from './catalogue/entry';
import type { CatalogueEntry } from './catalogue/entry';
import { GOOGLE_CATALOGUE } from './catalogue/google';
import { GROQ_CATALOGUE } from './catalogue/groq';
import { OPENAI_CATALOGUE } from './catalogue/openai';
import { compilePriceRule, priceRuleSchema } from './price-rule';
import type { CompiledPriceRule, PriceRule } from './price-rule';

/** The day the catalogue's prices were checked against the providers' published pricing. */
export const CATALOGUE_DATE = '2026-11-25';

export const CATALOGUE_ENTRIES: Readonly<Record<string, readonly CatalogueEntry[]>> = {
  openai: OPENAI_CATALOGUE,
  anthropic: ANTHROPIC_CATALOGUE,
  google: GOOGLE_CATALOGUE,
  groq: GROQ_CATALOGUE,
};

/** The catalogue as validated price rules (bundle shape), in a stable order. */
export const DEFAULT_PRICE_RULES: readonly PriceRule[] = Object.freeze(
  Object.values(CATALOGUE_ENTRIES).flatMap((entries) =>
    expandCatalogue(entries).map((input) => priceRuleSchema.parse(input)),
  ),
);

let compiled: readonly CompiledPriceRule[] | undefined;

/** The catalogue compiled for resolvePrice; built once, on first use. */
export function defaultCatalogue(): readonly CompiledPriceRule[] {
  compiled ??= Object.freeze(DEFAULT_PRICE_RULES.map(compilePriceRule));
  return compiled;
}
