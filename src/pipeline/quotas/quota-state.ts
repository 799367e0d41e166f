/**
 * A quota's state as the admin API and its subject read it (docs/tenancy.md, "Reading quota and
 * rate-limit state"): per budget window the limit, what the window's counter holds (reservations in
 * flight plus settled cost), what remains and when the window resets. The buckets are the ones
 * admission takes (planQuotaBuckets), so a read names exactly the counters a request would. Pure.
 */
import { windowStartMs, type WindowBucket } from '../../control-plane/cache-port';
import type { RateLimitSubjectKind } from '../../control-plane/model';
import { formatUsd, PICO_PER_MICRO_USD } from '../../control-plane/pricing/money';
import type { CompiledQuota, QuotaWindow } from '../../control-plane/quotas/quota-book';
import { planQuotaBuckets } from './plan-quota-buckets';

export interface QuotaWindowState {
  window: QuotaWindow;
  /** USD decimal strings (exact, to the micro-dollar). */
  limit_usd: string;
  /** The window's counter: reservations of requests in flight plus the settled cost of the others. */
  spent_usd: string;
  /** `limit - spent`, never below 0. */
  remaining_usd: string;
  /** ISO times of the fixed window; null for `total`, which never resets on its own. */
  window_start: string | null;
  resets_at: string | null;
}

export interface QuotaState {
  name: string;
  subject: RateLimitSubjectKind;
  /** The quota's route glob; null: every request of the subject. */
  route: string | null;
  /** One per budget the quota sets, in the order total, daily, weekly, monthly. */
  windows: QuotaWindowState[];
}

/** A bucket's current count, by its key; 0 when it was not read. */
export type CountOf = (bucket: Pick<WindowBucket, 'key'>) => number;

/** The buckets to read for these quotas (a `cache.peek` of them feeds `quotaStates`). */
export function quotaStateBuckets(quotas: readonly CompiledQuota[]): WindowBucket[] {
  return planQuotaBuckets(quotas, 0).map(({ bucket }) => bucket);
}

const microToUsd = (micro: number): string => formatUsd(BigInt(micro) * PICO_PER_MICRO_USD);

/** Start and end of the fixed window containing `nowMs`, as ISO times. */
export function windowTimes(windowMs: number, nowMs: number): { window_start: string; resets_at: string } {
  const start = windowStartMs(windowMs, nowMs);
  return {
    window_start: new Date(start).toISOString(),
    resets_at: new Date(start + windowMs).toISOString(),
  };
}

export function quotaStates(quotas: readonly CompiledQuota[], countOf: CountOf, nowMs: number): QuotaState[] {
  const windows = new Map<string, QuotaWindowState[]>();
  for (const { bucket, quota, window } of planQuotaBuckets(quotas, 0)) {
    const spent = countOf(bucket);
    const list = windows.get(quota.id) ?? [];
    list.push({
      window,
      limit_usd: microToUsd(bucket.limit),
      spent_usd: microToUsd(spent),
      remaining_usd: microToUsd(Math.max(0, bucket.limit - spent)),
      ...(window === 'total' ? { window_start: null, resets_at: null } : windowTimes(bucket.windowMs, nowMs)),
    });
    windows.set(quota.id, list);
  }
  return quotas.map((quota) => ({
    name: quota.name,
    subject: quota.subjectKind,
    route: quota.routeGlob,
    windows: windows.get(quota.id) ?? [],
  }));
}
