/** Canonical usage -> Gemini `usageMetadata` (candidates exclude thoughts; prompt includes cached tokens). */
import type { JsonObject } from '../../../../json-access';
import type { Usage } from '../../../../usage';

export function encodeUsageMetadata(usage: Usage): JsonObject {
  const out: JsonObject = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: Math.max(0, usage.outputTokens - usage.reasoningTokens),
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens > 0) out['cachedContentTokenCount'] = usage.cachedInputTokens;
  if (usage.reasoningTokens > 0) out['thoughtsTokenCount'] = usage.reasoningTokens;
  return out;
}
