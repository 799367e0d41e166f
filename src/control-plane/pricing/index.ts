/** Pricing: price rules, their resolution, the cost of a request and its admission estimate. */
export {
  MAX_PRICE_USD,
  PRICE_MATCHES,
  compilePriceRule,
  compilePriceRules,
  effectiveFromMs,
  namedPriceRuleSchema,
  parsePriceRule,
  priceRuleSchema,
  pricesForPrompt,
} from './price-rule';
export type {
  CompiledPriceRule,
  CompiledTier,
  PriceMatch,
  PriceRule,
  PriceRuleInput,
  PriceRuleParse,
  PriceTier,
  TokenPrices,
} from './price-rule';
export { resolvePrice } from './resolve-price';
export type { PriceQuery } from './resolve-price';
export {
  billableFromUsage,
  billableFromWireResponse,
  claudeCacheWrite1hTokens,
  emptyBillableUsage,
} from './billable-usage';
export type { BillableExtras, BillableUsage } from './billable-usage';
export { UNPRICED, computeCost } from './compute-cost';
export type { CostBreakdown, CostLine, CostResult, PricedCost, UnpricedCost } from './compute-cost';
export {
  DEFAULT_ESTIMATE_MAX_OUTPUT_TOKENS,
  ESTIMATE_BYTES_PER_TOKEN,
  estimateCost,
  estimateInputTokens,
} from './estimate-cost';
export type {
  CostEstimate,
  EstimateOptions,
  EstimateRequest,
  PricedEstimate,
  UnpricedEstimate,
} from './estimate-cost';
export {
  CATALOGUE_DATE,
  CATALOGUE_ENTRIES,
  DEFAULT_PRICE_RULES,
  defaultCatalogue,
} from './default-catalogue';
export {
  PICO_PER_MICRO_USD,
  PICO_PER_USD,
  canonicalDecimal,
  formatUsd,
  picoToMicroUsd,
  usdToPico,
} from './money';
export type { PicoUsd, Rounding } from './money';
