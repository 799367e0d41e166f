/**
 * Which cache buckets one request's quota reservation takes (docs/tenancy.md, "Quotas"): every
 * quota along the key -> user -> team -> org chain whose route glob matches adds a window bucket per
 * budget it sets, each costing the reservation in micro-USD. Windows are fixed and aligned to the
 * Unix epoch (what `cache.consume` does for every window bucket): daily = UTC days, weekly = 7-day
 * windows starting on Thursdays 00:00 UTC (1970-01-01 was a Thursday), monthly = fixed 30-day
 * windows (not calendar months), total = one window of ~100 years. Pure.
 */
import type { WindowBucket } from '../../control-plane/cache-port';
import type { CompiledQuota, QuotaWindow } from '../../control-plane/quotas/quota-book';
import { QUOTA_WINDOWS } from '../../control-plane/quotas/quota-book';
import { picoToMicroUsd, type PicoUsd } from '../../control-plane/pricing/money';
import { applicableLimits, DAY_MS, type LimitTarget } from '../rate-limits/plan-buckets';

export const QUOTA_WINDOW_MS: Readonly<Record<QuotaWindow, number>> = {
  daily: DAY_MS,
  weekly: 7 * DAY_MS,
  monthly: 30 * DAY_MS,
  // One window from the epoch to 2070: the budget never resets on its own.
  total: 36_500 * DAY_MS,
};

export interface PlannedQuotaBucket {
  bucket: WindowBucket;
  quota: CompiledQuota;
  window: QuotaWindow;
}

/** The quotas that apply to this request (same route matching as rate limits). */
export function applicableQuotas(chain: readonly CompiledQuota[], target: LimitTarget): CompiledQuota[] {
  return applicableLimits(chain, target);
}

/** Pico-USD as whole micro-USD, rounded up (a reservation must not lean low). */
export function reservationMicroUsd(pico: PicoUsd | null): number {
  if (pico === null || pico <= 0n) return 0;
  return Number(picoToMicroUsd(pico, 'ceil'));
}

export function planQuotaBuckets(
  quotas: readonly CompiledQuota[],
  costMicroUsd: number,
): PlannedQuotaBucket[] {
  const planned: PlannedQuotaBucket[] = [];
  for (const quota of quotas) {
    for (const window of QUOTA_WINDOWS) {
      const limit = quota.microUsd[window];
      if (limit === null) continue;
      const bucket: WindowBucket = {
        key: `quota:${quota.id}:${window}`,
        limit,
        windowMs: QUOTA_WINDOW_MS[window],
        cost: costMicroUsd,
      };
      planned.push({ bucket, quota, window });
    }
  }
  return planned;
}
