/**
 * The compact form the default catalogue is written in: one entry per model and price, listing
 * every id (and glob) under which providers serve that model at that price. Expanded into ordinary
 * global price rules, so the catalogue goes through the same schema as an operator's rules.
 */
import type { PriceRuleInput } from '../price-rule';

export type CataloguePrices = Omit<
  PriceRuleInput,
  'provider' | 'model' | 'match' | 'effective_from' | 'source'
>;

export interface CatalogueEntry {
  /** Exact upstream model ids (API aliases, dated snapshots, Vertex and Bedrock ids). */
  ids: readonly string[];
  /** Globs, for id families such as Bedrock's cross-region inference profiles (`us.`, `eu.` ...). */
  globs?: readonly string[];
  prices: CataloguePrices;
  /** Where the prices were read; copied into each rule's `source`. */
  source: string;
}

export function expandCatalogue(entries: readonly CatalogueEntry[]): PriceRuleInput[] {
  const rules: PriceRuleInput[] = [];
  for (const entry of entries) {
    for (const id of entry.ids)
      rules.push({ ...entry.prices, model: id, match: 'exact', source: entry.source });
    for (const glob of entry.globs ?? []) {
      rules.push({ ...entry.prices, model: glob, match: 'glob', source: entry.source });
    }
  }
  return rules;
}
