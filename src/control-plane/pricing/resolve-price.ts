/**
 * Picks the price rule for one (provider, upstream model id) at a point in time.
 *
 * Precedence, strongest first:
 *   1. provider-scoped exact  2. provider-scoped glob  3. global exact  4. global glob
 * Among globs of the same scope, the most specific wins (glob.ts: more literal characters, then a
 * longer literal prefix, then fewer wildcards). Between rules still tied (same scope, same pattern
 * strength), the one with the latest `effective_from` not after `at` wins (an undated rule counts
 * as effective since always), then the one listed first: pass operator rules before the default
 * catalogue so that an operator's rule beats the catalogue's for the same pattern.
 *
 * A rule whose `effective_from` is after `at` is ignored. No match returns null: the request is
 * unpriced, which is never the same as free.
 */
import { compareSpecificity } from './glob';
import type { CompiledPriceRule } from './price-rule';

export interface PriceQuery {
  /** The provider (configured instance) name the request went to; null matches global rules only. */
  provider: string | null;
  /** The upstream model id as sent to the provider. */
  model: string;
  /** When the request happened, epoch ms. */
  at: number;
}

/** 0 = provider exact, 1 = provider glob, 2 = global exact, 3 = global glob; null = no match. */
function matchClass(rule: CompiledPriceRule, query: PriceQuery): number | null {
  if (rule.effectiveFrom !== null && rule.effectiveFrom > query.at) return null;
  const scoped = rule.provider !== null;
  if (scoped && rule.provider !== query.provider) return null;
  if (rule.pattern === null) {
    if (rule.model !== query.model) return null;
    return scoped ? 0 : 2;
  }
  if (!rule.pattern.test(query.model)) return null;
  return scoped ? 1 : 3;
}

/** Negative when `a` should win over `b` (both match, same class). */
function compareWithinClass(a: CompiledPriceRule, b: CompiledPriceRule): number {
  if (a.specificity !== null && b.specificity !== null) {
    const bySpecificity = compareSpecificity(a.specificity, b.specificity);
    if (bySpecificity !== 0) return bySpecificity;
  }
  const fromA = a.effectiveFrom ?? Number.NEGATIVE_INFINITY;
  const fromB = b.effectiveFrom ?? Number.NEGATIVE_INFINITY;
  return fromA === fromB ? 0 : fromA > fromB ? -1 : 1;
}

/** The winning rule, or null when none matches (unpriced). */
export function resolvePrice(
  rules: readonly CompiledPriceRule[],
  query: PriceQuery,
): CompiledPriceRule | null {
  let best: CompiledPriceRule | null = null;
  let bestClass = Number.POSITIVE_INFINITY;
  for (const rule of rules) {
    const cls = matchClass(rule, query);
    if (cls === null || cls > bestClass) continue;
    // Strictly better only: on a full tie the earlier rule (the operator's) keeps its place.
    if (best === null || cls < bestClass || compareWithinClass(rule, best) < 0) {
      best = rule;
      bestClass = cls;
    }
  }
  return best;
}
