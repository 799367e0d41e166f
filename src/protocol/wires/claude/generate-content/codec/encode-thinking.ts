/**
 * Extended thinking for a Claude upstream: the budget, `max_tokens` (which must exceed it), and the
 * cases where Claude would reject thinking, so it is turned off for the request instead.
 */
import type { CanonicalRequest } from '../../../../canonical/request';
import { DEFAULT_MAX_OUTPUT_TOKENS, EFFORT_BUDGET } from '../../../../canonical/reasoning-budget';
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';
import { blocksOf } from './encode-messages';

/** Claude's smallest accepted `budget_tokens`. */
const MIN_BUDGET = 1024;

export interface ThinkingPlan {
  /** The `thinking` field to send, if any. */
  thinking?: JsonObject;
  maxTokens: number;
  /** Thinking is on: sampling parameters Claude forbids with it must go. */
  enabled: boolean;
}

export function planThinking(
  request: CanonicalRequest,
  messages: JsonObject[],
  warnings: TransformWarnings,
): ThinkingPlan {
  const reasoning = request.reasoning;
  if (reasoning?.enabled !== true)
    return withoutThinking(request, warnings, reasoning ? { type: 'disabled' } : undefined);
  const forced = request.toolChoice?.type === 'required' || request.toolChoice?.type === 'tool';
  if (forced && request.tools.length > 0) {
    warnings.add(
      'approximated',
      'reasoning',
      'thinking disabled: Claude cannot think when tool_choice forces a tool',
    );
    return withoutThinking(request, warnings, undefined);
  }
  if (!lastToolUseTurnHasThinking(messages)) {
    warnings.add(
      'approximated',
      'reasoning',
      'thinking disabled: prior tool-use turn has no Claude thinking signature',
    );
    return withoutThinking(request, warnings, undefined);
  }
  let budget = reasoning.budgetTokens ?? EFFORT_BUDGET[reasoning.effort ?? 'medium'];
  if (budget < MIN_BUDGET) {
    warnings.add('approximated', 'reasoning.budgetTokens', `raised to Claude's minimum ${MIN_BUDGET}`);
    budget = MIN_BUDGET;
  }
  let maxTokens = request.maxOutputTokens;
  if (maxTokens === undefined) {
    warnings.add(
      'approximated',
      'maxOutputTokens',
      `not given; thinking budget + ${DEFAULT_MAX_OUTPUT_TOKENS}`,
    );
    maxTokens = budget + DEFAULT_MAX_OUTPUT_TOKENS;
  } else if (maxTokens <= budget) {
    // The client's limit covers reasoning and answer (OpenAI semantics): share it, unless too small.
    const shared = Math.max(MIN_BUDGET, Math.floor(maxTokens / 2));
    if (shared < maxTokens) budget = shared;
    else {
      budget = MIN_BUDGET;
      maxTokens += budget;
    }
    warnings.add('approximated', 'reasoning.budgetTokens', 'max_tokens must exceed budget_tokens');
  }
  return { thinking: { type: 'enabled', budget_tokens: budget }, maxTokens, enabled: true };
}

function withoutThinking(
  request: CanonicalRequest,
  warnings: TransformWarnings,
  thinking: JsonObject | undefined,
): ThinkingPlan {
  let maxTokens = request.maxOutputTokens;
  if (maxTokens === undefined) {
    warnings.add(
      'approximated',
      'maxOutputTokens',
      `not given; Claude requires it (${DEFAULT_MAX_OUTPUT_TOKENS})`,
    );
    maxTokens = DEFAULT_MAX_OUTPUT_TOKENS;
  }
  return thinking ? { thinking, maxTokens, enabled: false } : { maxTokens, enabled: false };
}

/**
 * Claude requires, with thinking on, that the last assistant turn using tools starts with a
 * thinking block it signed. Only Claude-origin thinking is ever encoded, so any such block counts.
 */
function lastToolUseTurnHasThinking(messages: JsonObject[]): boolean {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.['role'] !== 'assistant') continue;
    const content = blocksOf(message);
    if (!content.some((block) => block['type'] === 'tool_use')) continue;
    const first = content[0]?.['type'];
    return first === 'thinking' || first === 'redacted_thinking';
  }
  return true;
}
