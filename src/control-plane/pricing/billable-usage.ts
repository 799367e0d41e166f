/**
 * The usage breakdown the cost function reads, and how gproxy's Usage becomes it.
 *
 * Normalization (the same as gproxy's Usage, OpenAI's semantics):
 * - `inputTokens` counts EVERY prompt token: uncached, read from the cache, and written to the
 *   cache (5-minute and 1-hour). The cache counts are parts of it, never additions to it.
 * - `outputTokens` counts EVERY completion token; `reasoningTokens` is a part of it.
 *
 * How each wire reports it, and how the wire parsers in protocol/ normalize it:
 * - OpenAI Chat / Responses: `prompt_tokens` / `input_tokens` already include `cached_tokens`;
 *   `completion_tokens` / `output_tokens` already include `reasoning_tokens`. Taken as is.
 * - Claude Messages: `input_tokens` EXCLUDES `cache_read_input_tokens` and
 *   `cache_creation_input_tokens`; both are added back. `cache_creation` splits the writes into
 *   `ephemeral_5m_input_tokens` and `ephemeral_1h_input_tokens` (read here, see claudeCacheWrite1h).
 *   Thinking is part of `output_tokens`.
 * - Gemini: `promptTokenCount` already includes `cachedContentTokenCount`; `toolUsePromptTokenCount`
 *   is added to input; `thoughtsTokenCount` is reported APART from `candidatesTokenCount` and added
 *   to output (and counted as reasoning).
 * - Bedrock Converse: like Claude, `inputTokens` excludes `cacheReadInputTokens` and
 *   `cacheWriteInputTokens`, which are added back.
 */
import { asObject, countAt, objectAt } from '../../protocol/json-access';
import type { UpstreamWireKind } from '../../protocol/operation';
import type { Usage } from '../../protocol/usage';
import { GENERATE_CONTENT_WIRES } from '../../protocol/wires';
import { decodeUsage as decodeConverseUsage } from '../../protocol/wires/bedrock-converse/generate-content/codec/usage';

export interface BillableUsage {
  /** Every prompt token, cache reads and writes included. */
  inputTokens: number;
  /** Every completion token, reasoning included. */
  outputTokens: number;
  /** Prompt tokens read from the cache (part of inputTokens). */
  cachedInputTokens: number;
  /** Prompt tokens written to the cache with a 5-minute lifetime (part of inputTokens). */
  cacheCreationTokens: number;
  /** Prompt tokens written to the cache with a 1-hour lifetime (part of inputTokens). */
  cacheCreation1hTokens: number;
  /** Reasoning/thinking tokens (part of outputTokens). */
  reasoningTokens: number;
  /** Input images, for providers that bill a price per image on top of tokens. */
  images: number;
}

export interface BillableExtras {
  /** Of Usage.cacheCreationTokens, how many were written with a 1-hour lifetime. */
  cacheCreation1hTokens?: number;
  images?: number;
}

export function emptyBillableUsage(): BillableUsage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    cacheCreationTokens: 0,
    cacheCreation1hTokens: 0,
    reasoningTokens: 0,
    images: 0,
  };
}

/**
 * gproxy's Usage (already normalized per wire when parsed) as a billable breakdown. Usage counts
 * all cache writes in `cacheCreationTokens`; the 1-hour part, when known, is moved out of it.
 */
export function billableFromUsage(usage: Usage, extras: BillableExtras = {}): BillableUsage {
  const writes1h = Math.max(0, extras.cacheCreation1hTokens ?? 0);
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    cacheCreationTokens: Math.max(0, usage.cacheCreationTokens - writes1h),
    cacheCreation1hTokens: writes1h,
    reasoningTokens: usage.reasoningTokens,
    images: Math.max(0, extras.images ?? 0),
  };
}

/** Claude's 1-hour cache writes from a `usage` object (`cache_creation.ephemeral_1h_input_tokens`). */
export function claudeCacheWrite1hTokens(usage: unknown): number {
  return countAt(objectAt(asObject(usage), 'cache_creation'), 'ephemeral_1h_input_tokens') ?? 0;
}

/**
 * The billable usage of a whole (non-streamed) answer in the upstream's own wire format, through
 * the same parsers the gateway uses, plus what only the raw answer has (Claude's 1-hour writes).
 * Undefined when the answer carries no usage.
 */
export function billableFromWireResponse(
  wire: UpstreamWireKind,
  json: unknown,
  extras: Omit<BillableExtras, 'cacheCreation1hTokens'> = {},
): BillableUsage | undefined {
  const rawUsage = asObject(json)?.['usage'];
  const usage =
    wire === 'bedrock-converse'
      ? decodeConverseUsage(rawUsage)
      : GENERATE_CONTENT_WIRES[wire].usageFromResponse(json);
  if (usage === undefined) return undefined;
  const cacheCreation1hTokens = wire === 'claude' ? claudeCacheWrite1hTokens(rawUsage) : 0;
  return billableFromUsage(usage, { ...extras, cacheCreation1hTokens });
}
