/**
 * A rate limit's state as the admin API and its subject read it (docs/tenancy.md, "Reading quota
 * and rate-limit state"): per kind the limit, what the current window (or the concurrency gauge)
 * counts, what remains and when the window resets. The buckets are the ones admission takes
 * (planBuckets), so a read names exactly the counters a request would. Pure.
 */
import type { AdmissionBucket } from '../../control-plane/cache-port';
import type { RateLimitSubjectKind } from '../../control-plane/model';
import type { CompiledRateLimit } from '../../control-plane/rate-limits/rate-limit-book';
import { windowTimes, type CountOf } from '../quotas/quota-state';
import { planBuckets, type LimitKind } from './plan-buckets';

export interface RateLimitKindState {
  kind: LimitKind;
  limit: number;
  /** Requests (rpm, rpd) or tokens (tpm, tpd) counted in the current window, or requests in flight. */
  used: number;
  /** `limit - used`, never below 0. */
  remaining: number;
  /** ISO times of the fixed window; null for `max_concurrent`, a gauge without windows. */
  window_start: string | null;
  resets_at: string | null;
}

export interface RateLimitState {
  name: string;
  subject: RateLimitSubjectKind;
  route: string | null;
  /** One per limit the record sets, in the order rpm, rpd, tpm, tpd, max_concurrent. */
  limits: RateLimitKindState[];
}

/** The buckets to read for these limits (a `cache.peek` of them feeds `rateLimitStates`). */
export function rateLimitStateBuckets(limits: readonly CompiledRateLimit[]): AdmissionBucket[] {
  return planBuckets(limits, 0).map(({ bucket }) => bucket);
}

export function rateLimitStates(
  limits: readonly CompiledRateLimit[],
  countOf: CountOf,
  nowMs: number,
): RateLimitState[] {
  const kinds = new Map<string, RateLimitKindState[]>();
  for (const { bucket, limit, kind } of planBuckets(limits, 0)) {
    const used = countOf(bucket);
    const list = kinds.get(limit.id) ?? [];
    list.push({
      kind,
      limit: bucket.limit,
      used,
      remaining: Math.max(0, bucket.limit - used),
      ...(bucket.kind === 'gauge'
        ? { window_start: null, resets_at: null }
        : windowTimes(bucket.windowMs, nowMs)),
    });
    kinds.set(limit.id, list);
  }
  return limits.map((limit) => ({
    name: limit.name,
    subject: limit.subjectKind,
    route: limit.limits.route,
    limits: kinds.get(limit.id) ?? [],
  }));
}
