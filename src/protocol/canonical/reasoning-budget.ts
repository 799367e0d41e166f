/**
 * One mapping between reasoning effort levels (OpenAI) and thinking token budgets (Claude,
 * Gemini), used by every codec so a level survives a round trip through a budget.
 */
import type { ReasoningEffort } from './request';

/** The budget each effort level becomes. Claude's minimum budget is 1024 tokens. */
export const EFFORT_BUDGET: Readonly<Record<ReasoningEffort, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 24576,
};

/** The effort level a budget corresponds to: the smallest level whose budget covers it. */
export function effortForBudget(budget: number): ReasoningEffort {
  if (budget <= EFFORT_BUDGET.minimal) return 'minimal';
  if (budget <= EFFORT_BUDGET.low) return 'low';
  if (budget <= EFFORT_BUDGET.medium) return 'medium';
  return 'high';
}

/** Default `max_tokens` for wires that require it (Claude) when the client gave none. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 8192;
