/**
 * One mapping between reasoning effort levels (OpenAI) and thinking token budgets (Claude,
 * Gemini), used by every codec so a level survives a round trip through a budget.
 */
import type { ReasoningConfig, ReasoningEffort } from './request';

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

/** The effort level a reasoning config asks for: its own, else the level covering its budget. */
export function effortOf(config: ReasoningConfig): ReasoningEffort | undefined {
  if (config.effort !== undefined) return config.effort;
  return config.budgetTokens === undefined ? undefined : effortForBudget(config.budgetTokens);
}

/**
 * An OpenAI effort level (`reasoning_effort`, `reasoning.effort`) as canonical. Levels above
 * `high` (`xhigh`, `max`) read as `high`, with the level in `approximated` for the caller to warn
 * about; anything else (including `none`, which turns reasoning off) is not a level: undefined.
 */
export function readEffortLevel(
  value: unknown,
): { effort: ReasoningEffort; approximated?: 'xhigh' | 'max' } | undefined {
  switch (value) {
    case 'minimal':
    case 'low':
    case 'medium':
    case 'high':
      return { effort: value };
    case 'xhigh':
    case 'max':
      return { effort: 'high', approximated: value };
    default:
      return undefined;
  }
}
