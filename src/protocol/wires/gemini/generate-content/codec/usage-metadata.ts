/** Canonical usage -> Gemini `usageMetadata` (candidates exclude thoughts; prompt includes cached tokens). */
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';
import type { Usage } from '../../../../usage';

export function encodeUsageMetadata(usage: Usage, warnings: TransformWarnings): JsonObject {
  if (usage.cacheCreationTokens > 0) {
    // Gemini's usage has no cache-write count: those tokens stay in promptTokenCount.
    warnings.add('approximated', 'usage.cache_creation_tokens', 'counted in promptTokenCount');
  }
  const out: JsonObject = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: Math.max(0, usage.outputTokens - usage.reasoningTokens),
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens > 0) out['cachedContentTokenCount'] = usage.cachedInputTokens;
  if (usage.reasoningTokens > 0) out['thoughtsTokenCount'] = usage.reasoningTokens;
  return out;
}
