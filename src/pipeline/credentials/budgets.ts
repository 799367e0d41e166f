/**
 * Per-credential request and token budgets (RPM / TPM), counted per minute in this process. An
 * exhausted credential is skipped without counting as a failure. Tokens are counted when a request
 * settles, so a minute's last requests can overshoot TPM by what they use.
 */
const MINUTE_MS = 60_000;
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

export class CredentialBudgets {
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

  recordTokens(credentialId: string, tokens: number, now: number): void {
    if (tokens <= 0) return;
    const window = this.windows.get(credentialId);
    if (window !== undefined && window.minute === Math.floor(now / MINUTE_MS)) window.tokens += tokens;
  }

  /** When the current minute ends, for Retry-After when every credential is exhausted. */
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
