/**
 * Merging a bundle's `prices` into the control plane: price rules are matched by name; a listed
 * rule is created or replaced whole, rules the bundle does not list are kept. New rules go after
 * the existing ones (the operator's list is ordered: earlier rules win ties, docs/billing.md).
 */
import type { PreparedBundle } from './bundle';
import type { ControlPlaneData, PriceRuleRecord } from './model';
import { upsert } from './plan-merge';

export function planPrices(next: ControlPlaneData, bundle: PreparedBundle, changes: string[]): void {
  const byName = new Map(next.priceRules.map((rule) => [rule.name, rule]));
  let position = next.priceRules.reduce((max, rule) => Math.max(max, rule.position), -1) + 1;
  for (const { name, ...rule } of bundle.prices) {
    const fields: Partial<PriceRuleRecord> = byName.has(name) ? { rule } : { rule, position: position++ };
    upsert(next.priceRules, byName, name, fields, `price rule "${name}"`, changes);
  }
  next.priceRules.sort((a, b) => a.position - b.position).forEach((rule, i) => (rule.position = i));
}

/** The operator's price rules in bundle shape, in their configured order. */
export function exportPrices(data: ControlPlaneData): PreparedBundle['prices'] {
  return [...data.priceRules]
    .sort((a, b) => a.position - b.position)
    .map((record) => ({ name: record.name, ...structuredClone(record.rule) }));
}
