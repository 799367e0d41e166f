/**
 * Per-credential request and token budgets (RPM / TPM), counted per minute. An exhausted credential
 * is skipped without counting as a failure. Tokens are counted when a request settles, so a
 * minute's last requests can overshoot TPM by what they use.
 *
 * `CredentialBudgets` counts in this process: the gate with the memory cache backend (one process),
 * and the fallback of the shared gate (shared-budgets.ts) while the cache is down.
 */
export const MINUTE_MS = 60_000;
const MAX_ENTRIES = 100_000;

interface Window {
  minute: number;
  requests: number;
  tokens: number;
}

export interface Budget {
  rpm: number | null;
  tpm: number | null;
}

/** What the attempt loop and settlement need of credential budgets, wherever they are counted. */
export interface BudgetGate {
  /**
   * Takes one request from the budget; false (and nothing taken) when it is exhausted. Answers
   * synchronously when nothing needs the cache (no budget, or counted in process).
   */
  tryAcquire(credentialId: string, budget: Budget, now: number): boolean | Promise<boolean>;
  /** Charges a settled request's tokens to the current minute. Fire and forget. */
  recordTokens(credentialId: string, budget: Budget, tokens: number, now: number): void;
  /** When the current minute ends, for Retry-After when every credential is exhausted. */
  nextWindowAt(now: number): number;
}

export class CredentialBudgets implements BudgetGate {
  private readonly windows = new Map<string, Window>();

  /** Takes one request from the budget; false (and nothing taken) when it is exhausted. */
  tryAcquire(credentialId: string, budget: Budget, now: number): boolean {
    if (budget.rpm === null && budget.tpm === null) return true;
    const window = this.window(credentialId, now);
    if (budget.rpm !== null && window.requests >= budget.rpm) return false;
    if (budget.tpm !== null && window.tokens >= budget.tpm) return false;
    window.requests++;
    return true;
  }

  recordTokens(credentialId: string, budget: Budget, tokens: number, now: number): void {
    if (tokens <= 0 || budget.tpm === null) return;
    const window = this.windows.get(credentialId);
    if (window !== undefined && window.minute === Math.floor(now / MINUTE_MS)) window.tokens += tokens;
  }

  nextWindowAt(now: number): number {
    return (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS;
  }

  private window(credentialId: string, now: number): Window {
    const minute = Math.floor(now / MINUTE_MS);
    const existing = this.windows.get(credentialId);
    if (existing !== undefined && existing.minute === minute) return existing;
    if (this.windows.size >= MAX_ENTRIES) {
      for (const [id, w] of this.windows) if (w.minute < minute) this.windows.delete(id);
    }
    const fresh = { minute, requests: 0, tokens: 0 };
    this.windows.set(credentialId, fresh);
    return fresh;
  }
}
