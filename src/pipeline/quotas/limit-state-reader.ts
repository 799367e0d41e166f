/**
 * Reads the state of quotas and rate limits (docs/tenancy.md, "Reading quota and rate-limit
 * state"): every bucket admission would take for them, in one `cache.peek`, turned into per-window
 * figures. Balances live only in the cache backend, so when it cannot be reached the read answers
 * 503 `cache_unavailable` rather than guessing.
 */
import { CacheUnavailableError, type CacheBackend } from '../../control-plane/cache-port';
import type { CompiledQuota } from '../../control-plane/quotas/quota-book';
import type { CompiledRateLimit } from '../../control-plane/rate-limits/rate-limit-book';
import { GatewayError } from '../../core/errors';
import { rateLimitStateBuckets, rateLimitStates, type RateLimitState } from '../rate-limits/rate-limit-state';
import { quotaStateBuckets, quotaStates, type QuotaState } from './quota-state';

export interface LimitState {
  quotas: QuotaState[];
  rate_limits: RateLimitState[];
}

export interface LimitStateReaderDeps {
  /** Absent: no cache backend is configured, so no state can be read. */
  cache: CacheBackend | undefined;
  now: () => number;
}

export class LimitStateReader {
  constructor(private readonly deps: LimitStateReaderDeps) {}

  async read(quotas: readonly CompiledQuota[], limits: readonly CompiledRateLimit[]): Promise<LimitState> {
    const buckets = [...quotaStateBuckets(quotas), ...rateLimitStateBuckets(limits)];
    const now = this.deps.now();
    const counts = new Map<string, number>();
    if (buckets.length > 0) {
      let read: number[];
      try {
        if (this.deps.cache === undefined)
          throw new CacheUnavailableError('none', 'no cache backend configured');
        read = await this.deps.cache.peek(buckets, now);
      } catch (error) {
        if (!(error instanceof CacheUnavailableError)) throw error;
        throw new GatewayError(
          'cache_unavailable',
          'Quota and rate-limit state cannot be read right now: the cache backend is unavailable.',
          { retryAfterSeconds: 1, cause: error },
        );
      }
      buckets.forEach((bucket, i) => counts.set(bucket.key, read[i] ?? 0));
    }
    const countOf = (bucket: { key: string }): number => counts.get(bucket.key) ?? 0;
    return {
      quotas: quotaStates(quotas, countOf, now),
      rate_limits: rateLimitStates(limits, countOf, now),
    };
  }
}
