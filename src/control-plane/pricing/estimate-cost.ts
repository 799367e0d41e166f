/**
 * The admission estimate a quota reservation holds until settlement replaces it with the actual
 * cost. It must lean high: concurrent requests may overspend a budget by at most what this misses.
 *
 *   input tokens  = ceil(request body UTF-8 bytes / ESTIMATE_BYTES_PER_TOKEN) + extraInputTokens
 *   output tokens = the request's max output tokens, else the default (DEFAULT_ESTIMATE_MAX_OUTPUT_TOKENS)
 *   cost          = input tokens x input price (or the cache-write price when the request writes
 *                   to the prompt cache and that is dearer)
 *                 + output tokens x max(output price, reasoning price)
 *                 + images x image price
 * at the tier that the estimated input tokens select.
 *
 * Why 2 bytes per token: measured on JSON request bodies, tokenizers average 3 to 5.5 bytes per
 * token for prose, source code, JSON and Japanese (o200k_base and Claude's published tokenizer), so
 * bytes / 2 over-estimates ordinary text by 1.5x to 2.8x. Digit-dense data and hex run at about 1.7
 * to 1.9 bytes per token, and tokenizers that split every digit approach 1. Every token covers at
 * least one byte, so whatever the text the estimate is never below half the actual input tokens.
 * Counting bytes, not UTF-16 characters, keeps CJK text (3 bytes a character) on the safe side.
 */
import { tokenCount } from './compute-cost';
import type { PicoUsd } from './money';
import { pricesForPrompt } from './price-rule';
import type { CompiledPriceRule } from './price-rule';

export const ESTIMATE_BYTES_PER_TOKEN = 2;
/** Output tokens assumed when a request sets no maximum (an operator setting may override it). */
export const DEFAULT_ESTIMATE_MAX_OUTPUT_TOKENS = 4096;

export interface EstimateRequest {
  /** UTF-8 bytes of the request body (inline base64 media is better left out and counted apart). */
  inputBytes: number;
  /** max_tokens / max_completion_tokens / max_output_tokens / maxOutputTokens; null or absent: none. */
  maxOutputTokens?: number | null;
  /** Tokens the body does not show: images counted apart, a provider's tool-use system prompt. */
  extraInputTokens?: number;
  /** Input images, priced only where the rule sets a per-image price. */
  images?: number;
  /** Set when the request asks the provider to write its prompt to the cache. */
  promptCacheWrite?: '5m' | '1h' | null;
}

export interface EstimateOptions {
  bytesPerToken?: number;
  defaultMaxOutputTokens?: number;
}

export interface PricedEstimate {
  unpriced: false;
  totalPicoUsd: PicoUsd;
  inputPicoUsd: PicoUsd;
  outputPicoUsd: PicoUsd;
  imagesPicoUsd: PicoUsd;
  inputTokens: number;
  outputTokens: number;
  tierAboveInputTokens: number | null;
}

export interface UnpricedEstimate {
  unpriced: true;
  totalPicoUsd: null;
  inputTokens: number;
  outputTokens: number;
}

export type CostEstimate = PricedEstimate | UnpricedEstimate;

export function estimateInputTokens(inputBytes: number, bytesPerToken = ESTIMATE_BYTES_PER_TOKEN): number {
  if (!(bytesPerToken > 0)) throw new RangeError('bytesPerToken must be positive');
  return tokenCount(Math.ceil(tokenCount(inputBytes) / bytesPerToken));
}

function max(a: PicoUsd, b: PicoUsd | null): PicoUsd {
  return b !== null && b > a ? b : a;
}

export function estimateCost(
  rule: CompiledPriceRule | null,
  request: EstimateRequest,
  options: EstimateOptions = {},
): CostEstimate {
  const inputTokens =
    estimateInputTokens(request.inputBytes, options.bytesPerToken) +
    tokenCount(request.extraInputTokens ?? 0);
  const requestedMax = request.maxOutputTokens;
  const outputTokens = tokenCount(
    requestedMax === null || requestedMax === undefined
      ? (options.defaultMaxOutputTokens ?? DEFAULT_ESTIMATE_MAX_OUTPUT_TOKENS)
      : requestedMax,
  );
  if (rule === null) return { unpriced: true, totalPicoUsd: null, inputTokens, outputTokens };

  const { prices, tier } = pricesForPrompt(rule, inputTokens);
  const write5m = prices.cacheWrite5m ?? prices.input;
  const writePrice =
    request.promptCacheWrite === '5m'
      ? write5m
      : request.promptCacheWrite === '1h'
        ? (prices.cacheWrite1h ?? write5m)
        : null;
  const inputPicoUsd = BigInt(inputTokens) * max(prices.input, writePrice);
  const outputPicoUsd = BigInt(outputTokens) * max(prices.output, prices.reasoning);
  const imagesPicoUsd =
    prices.imageInput === null ? 0n : BigInt(tokenCount(request.images ?? 0)) * prices.imageInput;
  return {
    unpriced: false,
    totalPicoUsd: inputPicoUsd + outputPicoUsd + imagesPicoUsd,
    inputPicoUsd,
    outputPicoUsd,
    imagesPicoUsd,
    inputTokens,
    outputTokens,
    tierAboveInputTokens: tier?.aboveInputTokens ?? null,
  };
}
