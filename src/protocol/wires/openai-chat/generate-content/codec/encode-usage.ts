/** Canonical usage in Chat Completions' own `usage` shape (prompt_tokens already include cached tokens). */
import type { JsonObject } from '../../../../json-access';
import type { Usage } from '../../../../usage';

export function encodeUsage(usage: Usage): JsonObject {
  const promptDetails: JsonObject = { cached_tokens: usage.cachedInputTokens };
  // `cache_write_tokens` is what the usage reader takes cache writes from; absent when there were none.
  if (usage.cacheCreationTokens > 0) promptDetails['cache_write_tokens'] = usage.cacheCreationTokens;
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: promptDetails,
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}
