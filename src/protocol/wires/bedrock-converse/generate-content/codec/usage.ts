/**
 * Converse `usage` (TokenUsage) and normalized Usage. Like Claude's, Converse's `inputTokens`
 * leaves out the tokens read from or written to the prompt cache, which normalized input includes.
 * Converse does not count reasoning tokens apart from output tokens.
 */
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asObject, countAt } from '../../../../json-access';
import type { Usage } from '../../../../usage';

export function decodeUsage(value: unknown): Usage | undefined {
  const usage = asObject(value);
  if (!usage) return undefined;
  const input = countAt(usage, 'inputTokens');
  const output = countAt(usage, 'outputTokens');
  if (input === undefined && output === undefined) return undefined;
  const cacheRead = countAt(usage, 'cacheReadInputTokens') ?? 0;
  const cacheWrite = countAt(usage, 'cacheWriteInputTokens') ?? 0;
  return {
    inputTokens: (input ?? 0) + cacheRead + cacheWrite,
    outputTokens: output ?? 0,
    cachedInputTokens: cacheRead,
    cacheCreationTokens: cacheWrite,
    reasoningTokens: 0,
  };
}

export function encodeUsage(
  usage: Partial<Usage> | undefined,
  warnings: TransformWarnings,
): Record<string, number> {
  if ((usage?.reasoningTokens ?? 0) > 0) {
    warnings.add(
      'approximated',
      'usage.reasoningTokens',
      'counted in outputTokens; Converse has no separate field',
    );
  }
  const cacheRead = usage?.cachedInputTokens ?? 0;
  const cacheWrite = usage?.cacheCreationTokens ?? 0;
  const input = Math.max(0, (usage?.inputTokens ?? 0) - cacheRead - cacheWrite);
  const output = usage?.outputTokens ?? 0;
  const encoded: Record<string, number> = {
    inputTokens: input,
    outputTokens: output,
    totalTokens: input + output + cacheRead + cacheWrite,
  };
  if (cacheRead > 0) encoded['cacheReadInputTokens'] = cacheRead;
  if (cacheWrite > 0) encoded['cacheWriteInputTokens'] = cacheWrite;
  return encoded;
}
