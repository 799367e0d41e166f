/**
 * Credential budgets shared by every instance of a deployment (cache backend redis or upstash):
 * admission is one atomic `cache.consume` of the credential's minute windows, so a credential with
 * `rpm: N` gets N requests a minute in total, however many instances send them. Settlement charges
 * the tokens to the minute's TPM window with `cache.release` and a negative cost.
 *
 * A credential without a budget costs no round trip. When the cache cannot be reached, admission
 * falls back to this process's counter (the budget is then per instance) and says so once in the
 * log: a provider-side budget is no reason to refuse traffic.
 */
import { CacheUnavailableError, type CacheBackend, type WindowBucket } from '../../control-plane/cache-port';
import type { Logger } from '../../core/logger';
import { isSharedCache, OutageNotice } from '../shared-cache';
import { CredentialBudgets, MINUTE_MS, type Budget, type BudgetGate } from './budgets';

export function rpmKey(credentialId: string): string {
  return `credential:${credentialId}:rpm`;
}

export function tpmKey(credentialId: string): string {
  return `credential:${credentialId}:tpm`;
}

/** The window buckets one request takes from a credential's budget (none without a budget). */
export function budgetBuckets(credentialId: string, budget: Budget): WindowBucket[] {
  const buckets: WindowBucket[] = [];
  if (budget.rpm !== null) {
    buckets.push({ key: rpmKey(credentialId), limit: budget.rpm, windowMs: MINUTE_MS, cost: 1 });
  }
  if (budget.tpm !== null) {
    // A check that takes nothing: tokens are charged at settlement. consume refuses when
    // count + cost > limit, so with cost 0 the limit is tpm - 1 to refuse once the minute's tokens
    // reached tpm, as the in-process counter does.
    const limit = Math.max(0, budget.tpm - 1);
    buckets.push({ key: tpmKey(credentialId), limit, windowMs: MINUTE_MS, cost: 0 });
  }
  return buckets;
}

export class SharedCredentialBudgets implements BudgetGate {
  /** Counts while the cache is down; its windows exist only for minutes it admitted in. */
  private readonly local = new CredentialBudgets();
  private readonly notice: OutageNotice;

  constructor(
    private readonly cache: CacheBackend,
    private readonly logger: Logger,
  ) {
    this.notice = new OutageNotice(
      logger,
      'credential budgets',
      'RPM/TPM budgets are counted per instance until it answers',
    );
  }

  tryAcquire(credentialId: string, budget: Budget, now: number): boolean | Promise<boolean> {
    if (budget.rpm === null && budget.tpm === null) return true;
    return this.consume(credentialId, budget, now);
  }

  recordTokens(credentialId: string, budget: Budget, tokens: number, now: number): void {
    if (tokens <= 0 || budget.tpm === null) return;
    // Counted here too when this minute was admitted locally (the cache was down).
    this.local.recordTokens(credentialId, budget, tokens, now);
    const charge = { key: tpmKey(credentialId), windowMs: MINUTE_MS, cost: -tokens };
    this.cache.release([charge], now).then(
      () => this.notice.succeeded(),
      (error: unknown) => {
        if (error instanceof CacheUnavailableError) this.notice.failed(error);
        else this.logger.error({ err: error, credentialId }, 'credential budgets: could not charge tokens');
      },
    );
  }

  nextWindowAt(now: number): number {
    return this.local.nextWindowAt(now);
  }

  private async consume(credentialId: string, budget: Budget, now: number): Promise<boolean> {
    let allowed: boolean;
    try {
      allowed = (await this.cache.consume(budgetBuckets(credentialId, budget), now)).allowed;
    } catch (error) {
      if (!(error instanceof CacheUnavailableError)) throw error;
      this.notice.failed(error);
      return this.local.tryAcquire(credentialId, budget, now);
    }
    this.notice.succeeded();
    return allowed;
  }
}

/** Shared budgets when the cache is shared between instances; else this process's counter. */
export function credentialBudgetsFor(cache: CacheBackend | undefined, logger: Logger): BudgetGate {
  return isSharedCache(cache) ? new SharedCredentialBudgets(cache, logger) : new CredentialBudgets();
}
