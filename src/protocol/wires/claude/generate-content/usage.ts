/**
 * Usage of a Claude Messages answer. Claude's `input_tokens` excludes cache reads and writes, so they
 * are added back: normalized input counts every prompt token. In a stream, `message_start` carries the
 * input side and `message_delta` cumulative counts, so later values win field by field.
 */
import { asObject, countAt, objectAt } from '../../../json-access';
import type { JsonObject } from '../../../json-access';
import type { Usage } from '../../../usage';
import type { StreamUsageReader } from '../../../wire';
import { createSseUsageReader } from '../../sse-usage-reader';

export interface ClaudeCounts {
  input: number;
  cacheRead: number;
  cacheCreation: number;
  /** `cache_creation.ephemeral_1h_input_tokens`: the 1-hour share of cacheCreation. */
  cacheCreation1h: number;
  output: number;
  thinking: number;
}

export function emptyCounts(): ClaudeCounts {
  return { input: 0, cacheRead: 0, cacheCreation: 0, cacheCreation1h: 0, output: 0, thinking: 0 };
}

/** Overwrites the counts the usage object reports; null or absent fields keep the earlier value. */
export function mergeCounts(counts: ClaudeCounts, usage: JsonObject): void {
  counts.input = countAt(usage, 'input_tokens') ?? counts.input;
  counts.cacheRead = countAt(usage, 'cache_read_input_tokens') ?? counts.cacheRead;
  counts.cacheCreation = countAt(usage, 'cache_creation_input_tokens') ?? counts.cacheCreation;
  counts.cacheCreation1h =
    countAt(objectAt(usage, 'cache_creation'), 'ephemeral_1h_input_tokens') ?? counts.cacheCreation1h;
  counts.output = countAt(usage, 'output_tokens') ?? counts.output;
  counts.thinking = countAt(objectAt(usage, 'output_tokens_details'), 'thinking_tokens') ?? counts.thinking;
}

export function normalizeClaudeCounts(counts: ClaudeCounts): Usage {
  return {
    inputTokens: counts.input + counts.cacheRead + counts.cacheCreation,
    outputTokens: counts.output,
    cachedInputTokens: counts.cacheRead,
    cacheCreationTokens: counts.cacheCreation,
    reasoningTokens: counts.thinking,
    // Only when present, so usage without 1-hour writes keeps its plain shape.
    ...(counts.cacheCreation1h > 0 ? { cacheCreation1hTokens: counts.cacheCreation1h } : {}),
  };
}

export function claudeUsageFromResponse(json: unknown): Usage | undefined {
  const usage = objectAt(asObject(json), 'usage');
  if (!usage) return undefined;
  const counts = emptyCounts();
  mergeCounts(counts, usage);
  return normalizeClaudeCounts(counts);
}

export function createClaudeStreamUsageReader(): StreamUsageReader {
  const counts = emptyCounts();
  let seen = false;
  return createSseUsageReader({
    // message_start carries `message.usage`, message_delta `usage`.
    marker: '"usage"',
    wants: (event) =>
      event.event === undefined
        ? event.data.includes('"usage"')
        : event.event === 'message_start' || event.event === 'message_delta',
    take: (json) => {
      const event = asObject(json);
      const type = event?.['type'];
      const usage =
        type === 'message_start'
          ? objectAt(objectAt(event, 'message'), 'usage')
          : type === 'message_delta'
            ? objectAt(event, 'usage')
            : undefined;
      if (!usage) return;
      mergeCounts(counts, usage);
      seen = true;
    },
    result: () => (seen ? normalizeClaudeCounts(counts) : undefined),
  });
}
