/**
 * The rule sets that apply to one attempt (docs/rule-sets.md): the candidate provider's attached
 * sets, compiled once per snapshot (process/compile-rules.ts), filtered by the upstream request's
 * facts. Callers skip providers without rule sets (one property read).
 */
import type { ProviderView } from '../control-plane/snapshot';
import { compiledRuleSets, selectRules } from '../process/compile-rules';
import type { RuleFacts, SelectedRules } from '../process/rule-types';

export function attemptRules(
  sets: NonNullable<ProviderView['ruleSets']>,
  facts: RuleFacts,
): SelectedRules | null {
  return selectRules(compiledRuleSets(sets), facts);
}
