/**
 * The price rules a snapshot prices requests with: the operator's rules (in their configured
 * order) before the default catalogue, compiled once per snapshot, each with the name the usage
 * ledger records. Operator rules are named by their record name; catalogue rules
 * `catalogue:<provider/>model` (the provider only for provider-scoped entries).
 */
import type { PriceRuleRecord } from '../model';
import { billableFromUsage } from './billable-usage';
import { computeCost } from './compute-cost';
import { defaultCatalogue } from './default-catalogue';
import { compilePriceRule } from './price-rule';
import type { CompiledPriceRule } from './price-rule';
import { resolvePrice } from './resolve-price';
import type { Usage } from '../../protocol/usage';

export interface PriceBook {
  /** Operator rules first, then the default catalogue. */
  readonly rules: readonly CompiledPriceRule[];
  /** The name the ledger records for a rule of this book. */
  nameOf(rule: CompiledPriceRule): string;
}

export interface LedgerCost {
  /** Exact pico-USD as a decimal integer string; null when unpriced. */
  costPicoUsd: string | null;
  priced: boolean;
  priceRule: string | null;
}

export function buildPriceBook(records: readonly PriceRuleRecord[]): PriceBook {
  const names = new Map<CompiledPriceRule, string>();
  const operator = [...records]
    .sort((a, b) => a.position - b.position || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((record) => {
      const compiled = compilePriceRule(record.rule);
      names.set(compiled, record.name);
      return compiled;
    });
  const rules = Object.freeze([...operator, ...defaultCatalogue()]);
  return {
    rules,
    nameOf: (rule) =>
      names.get(rule) ?? `catalogue:${rule.provider === null ? '' : `${rule.provider}/`}${rule.model}`,
  };
}

/** The rule that prices (provider, upstream model) at `at`, or null: unpriced. */
export function findPrice(
  book: PriceBook,
  provider: string | null,
  model: string,
  at: number,
): CompiledPriceRule | null {
  return resolvePrice(book.rules, { provider, model, at });
}

/** The ledger's cost fields for a request's usage; unpriced is null and flagged, never "0". */
export function ledgerCost(
  book: PriceBook,
  query: { provider: string | null; model: string | null; at: number },
  usage: Usage,
): LedgerCost {
  const rule = query.model === null ? null : findPrice(book, query.provider, query.model, query.at);
  if (rule === null) return { costPicoUsd: null, priced: false, priceRule: null };
  const billable = billableFromUsage(usage, { cacheCreation1hTokens: usage.cacheCreation1hTokens ?? 0 });
  const cost = computeCost(rule, billable);
  if (cost.unpriced) return { costPicoUsd: null, priced: false, priceRule: null };
  return { costPicoUsd: cost.totalPicoUsd.toString(), priced: true, priceRule: book.nameOf(rule) };
}
