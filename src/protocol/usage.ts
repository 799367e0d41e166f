/**
 * Token usage in one normalized shape. `inputTokens` counts every prompt token, cache reads and
 * cache writes included (OpenAI semantics); wires whose own input count excludes them (Claude)
 * are normalized when parsed.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens served from the provider's prompt cache (part of inputTokens). */
  cachedInputTokens: number;
  /** Prompt tokens written to the provider's prompt cache (part of inputTokens). */
  cacheCreationTokens: number;
  /** Reasoning/thinking tokens (part of outputTokens). */
  reasoningTokens: number;
  /** Of cacheCreationTokens, those written with a 1-hour lifetime; only where the wire says (Claude). */
  cacheCreation1hTokens?: number;
}

export function emptyUsage(): Usage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    cacheCreationTokens: 0,
    reasoningTokens: 0,
  };
}

/** Applies a partial usage update (later stream values win, field by field; undefined fields keep theirs). */
export function mergeUsage(current: Usage | undefined, update: Partial<Usage>): Usage {
  const next = { ...(current ?? emptyUsage()) };
  for (const [key, value] of Object.entries(update) as [keyof Usage, number | undefined][]) {
    if (value !== undefined) next[key] = value;
  }
  return next;
}
