/**
 * Normalized Usage as Claude's usage object (decoding lives in ../usage.ts). Claude's
 * `input_tokens` excludes cache reads and writes, which normalized input includes.
 */
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { Usage } from '../../../../usage';

export interface ClaudeUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

/** With `warnings`, a reasoning-token count the Claude usage object cannot show separately is reported. */
export function encodeUsage(usage: Partial<Usage> | undefined, warnings?: TransformWarnings): ClaudeUsage {
  if (warnings !== undefined && (usage?.reasoningTokens ?? 0) > 0) {
    warnings.add(
      'approximated',
      'usage.reasoning_tokens',
      'counted in output_tokens; Claude has no separate field',
    );
  }
  const cacheRead = usage?.cachedInputTokens ?? 0;
  const cacheCreation = usage?.cacheCreationTokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.inputTokens ?? 0) - cacheRead - cacheCreation),
    cache_creation_input_tokens: cacheCreation,
    cache_read_input_tokens: cacheRead,
    output_tokens: usage?.outputTokens ?? 0,
  };
}
