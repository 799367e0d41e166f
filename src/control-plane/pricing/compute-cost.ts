/**
 * The cost of one request from its billable usage (billable-usage.ts) at a resolved price rule.
 *
 * Classes billed, each at its own price (pico-USD per token, exact):
 * - input: prompt tokens neither read from nor written to the cache
 *   = inputTokens - cachedInputTokens - cacheCreationTokens - cacheCreation1hTokens
 * - cached input (reads): `cached_input`, else the input price
 * - cache writes 5 min: `cache_write_5m`, else the input price
 * - cache writes 1 h: `cache_write_1h`, else the 5-minute price, else the input price
 * - output: completion tokens; when the rule sets `reasoning`, reasoning tokens are taken out of
 *   output and billed at that price instead, otherwise they stay in output at the output price
 * - images: `image_input` per image when set; otherwise images cost nothing extra (every provider
 *   we know of bills them as input tokens, which the usage already counts)
 *
 * The tier is chosen by inputTokens (the whole prompt, cache included), strictly above a tier's
 * threshold. If a part exceeds its total (more cached tokens than input tokens, say), the total is
 * raised to the sum of its parts and the result is flagged `adjusted`: a reported token is never
 * dropped. No rule: `unpriced: true` with no amount, never a cost of zero.
 */
import type { BillableUsage } from './billable-usage';
import type { PicoUsd } from './money';
import { pricesForPrompt } from './price-rule';
import type { CompiledPriceRule } from './price-rule';

export interface CostLine {
  /** Tokens billed in this class (images: how many images). */
  quantity: number;
  picoUsd: PicoUsd;
}

export interface CostBreakdown {
  input: CostLine;
  cachedInput: CostLine;
  cacheWrite5m: CostLine;
  cacheWrite1h: CostLine;
  output: CostLine;
  /** Zero quantity unless the rule bills reasoning apart from output. */
  reasoning: CostLine;
  images: CostLine;
}

export interface PricedCost {
  unpriced: false;
  totalPicoUsd: PicoUsd;
  breakdown: CostBreakdown;
  /** The threshold of the tier applied, or null for the base prices. */
  tierAboveInputTokens: number | null;
  rule: CompiledPriceRule;
  /** True when the usage was inconsistent and a total was raised to the sum of its parts. */
  adjusted: boolean;
}

export interface UnpricedCost {
  unpriced: true;
  totalPicoUsd: null;
  breakdown: null;
  tierAboveInputTokens: null;
  rule: null;
  adjusted: false;
}

export type CostResult = PricedCost | UnpricedCost;

export const UNPRICED: UnpricedCost = Object.freeze({
  unpriced: true,
  totalPicoUsd: null,
  breakdown: null,
  tierAboveInputTokens: null,
  rule: null,
  adjusted: false,
});

/** A token count as a safe non-negative integer; fractions round up (never bill less). */
export function tokenCount(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 0;
  return Math.min(Math.ceil(value), Number.MAX_SAFE_INTEGER);
}

function line(quantity: number, price: PicoUsd): CostLine {
  return { quantity, picoUsd: BigInt(quantity) * price };
}

export function computeCost(rule: CompiledPriceRule | null, usage: BillableUsage): CostResult {
  if (rule === null) return UNPRICED;
  const cached = tokenCount(usage.cachedInputTokens);
  const writes5m = tokenCount(usage.cacheCreationTokens);
  const writes1h = tokenCount(usage.cacheCreation1hTokens);
  const reportedInput = tokenCount(usage.inputTokens);
  const inputParts = cached + writes5m + writes1h;
  const inputTokens = Math.max(reportedInput, inputParts);
  const reasoningTokens = tokenCount(usage.reasoningTokens);
  const reportedOutput = tokenCount(usage.outputTokens);
  const outputTokens = Math.max(reportedOutput, reasoningTokens);
  const adjusted = inputTokens !== reportedInput || outputTokens !== reportedOutput;

  const { prices, tier } = pricesForPrompt(rule, inputTokens);
  const writePrice5m = prices.cacheWrite5m ?? prices.input;
  const separateReasoning = prices.reasoning !== null;
  const breakdown: CostBreakdown = {
    input: line(inputTokens - inputParts, prices.input),
    cachedInput: line(cached, prices.cachedInput ?? prices.input),
    cacheWrite5m: line(writes5m, writePrice5m),
    cacheWrite1h: line(writes1h, prices.cacheWrite1h ?? writePrice5m),
    output: line(separateReasoning ? outputTokens - reasoningTokens : outputTokens, prices.output),
    reasoning: line(separateReasoning ? reasoningTokens : 0, prices.reasoning ?? 0n),
    images: line(prices.imageInput === null ? 0 : tokenCount(usage.images), prices.imageInput ?? 0n),
  };
  let total = 0n;
  for (const part of Object.values<CostLine>({ ...breakdown })) total += part.picoUsd;
  return {
    unpriced: false,
    totalPicoUsd: total,
    breakdown,
    tierAboveInputTokens: tier?.aboveInputTokens ?? null,
    rule,
    adjusted,
  };
}
