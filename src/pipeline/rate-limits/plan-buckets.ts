/**
 * Which cache buckets one request takes (docs/tenancy.md, "Rate limits"): every limit along the
 * key -> user -> team -> org chain whose route glob matches the requested model name or its route
 * adds a bucket per kind it sets. Requests cost 1 on the rpm/rpd windows, the token estimate on
 * tpm/tpd, one slot on the concurrency gauge. Pure: the admission sends these in one `consume`.
 */
import type { AdmissionBucket, GaugeBucket, WindowBucket } from '../../control-plane/cache-port';
import type { CompiledRateLimit } from '../../control-plane/rate-limits/rate-limit-book';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/**
 * A concurrency slot's leak guard: a gauge untouched this long resets, which frees the slots of an
 * instance that died holding them. Every admission and release of the gauge refreshes it.
 */
export const CONCURRENCY_TTL_MS = 15 * MINUTE_MS;

export type LimitKind = 'rpm' | 'rpd' | 'tpm' | 'tpd' | 'max_concurrent';

export interface LimitTarget {
  /** The model name the client sent. */
  requested: string;
  /** The route it resolved to, if any. */
  routeName: string | null;
}

export interface PlannedBucket {
  bucket: AdmissionBucket;
  limit: CompiledRateLimit;
  kind: LimitKind;
}

/** The limits (or quotas) that apply to this request. */
export function applicableLimits<T extends { readonly route: RegExp | null }>(
  chain: readonly T[],
  target: LimitTarget,
): T[] {
  return chain.filter(
    ({ route }) =>
      route === null ||
      route.test(target.requested) ||
      (target.routeName !== null && route.test(target.routeName)),
  );
}

/** Whether any of the limits counts tokens (only then is the body measured). */
export function countsTokens(limits: readonly CompiledRateLimit[]): boolean {
  return limits.some((l) => l.limits.tpm !== null || l.limits.tpd !== null);
}

export function planBuckets(limits: readonly CompiledRateLimit[], estimatedTokens: number): PlannedBucket[] {
  const planned: PlannedBucket[] = [];
  const window = (
    limit: CompiledRateLimit,
    kind: LimitKind,
    max: number | null,
    windowMs: number,
    cost: number,
  ) => {
    if (max === null) return;
    const bucket: WindowBucket = { key: `ratelimit:${limit.id}:${kind}`, limit: max, windowMs, cost };
    planned.push({ bucket, limit, kind });
  };
  for (const limit of limits) {
    const { rpm, rpd, tpm, tpd, maxConcurrent } = limit.limits;
    window(limit, 'rpm', rpm, MINUTE_MS, 1);
    window(limit, 'rpd', rpd, DAY_MS, 1);
    window(limit, 'tpm', tpm, MINUTE_MS, estimatedTokens);
    window(limit, 'tpd', tpd, DAY_MS, estimatedTokens);
    if (maxConcurrent !== null) {
      const bucket: GaugeBucket = {
        kind: 'gauge',
        key: `ratelimit:${limit.id}:concurrent`,
        limit: maxConcurrent,
        ttlMs: CONCURRENCY_TTL_MS,
        cost: 1,
      };
      planned.push({ bucket, limit, kind: 'max_concurrent' });
    }
  }
  return planned;
}

/** The token reading of a request: the largest output it allows, from any wire's field. */
export function maxOutputTokensOf(body: unknown): number | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  const config = record['generationConfig'];
  const candidates = [
    record['max_tokens'],
    record['max_completion_tokens'],
    record['max_output_tokens'],
    typeof config === 'object' && config !== null
      ? (config as Record<string, unknown>)['maxOutputTokens']
      : undefined,
  ];
  for (const value of candidates) {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  }
  return null;
}
