/**
 * Argument checks and the key layout every cache backend shares, so the memory backend and the
 * Lua scripts (Redis, Upstash) count in the same keys with the same windows.
 *
 * Key layout under a backend's prefix:
 *   kv:<key>                          get/set/delete and counters (incrBy)
 *   lease:<key>                       leases (value: the holder's token)
 *   rl:<key>:<windowMs>:<index>       a window bucket's count for window <index>
 *   gauge:<key>                       a gauge bucket's count
 * The window fields come last and are integers, so distinct buckets never share a key.
 */
import type {
  AdmissionBucket,
  ConsumeResult,
  PeekBucket,
  ReleaseBucket,
} from '../../../control-plane/cache-port';
import { windowStartMs } from '../../../control-plane/cache-port';

export const kvKey = (key: string): string => `kv:${key}`;
export const leaseKey = (key: string): string => `lease:${key}`;

/** One bucket resolved against a time: the key to count in and the numbers the scripts need. */
export interface PlannedBucket {
  /** The caller's key, reported on refusal. */
  name: string;
  /** The key counted in (see the layout above), without the backend's prefix. */
  key: string;
  limit: number;
  cost: number;
  /** TTL for the key: to the window's end for windows, `ttlMs` for gauges. */
  ttlMs: number;
  /** Gauges refresh their TTL on every change; windows set it once, on creation. */
  gauge: boolean;
  /** Reported when this bucket refuses. */
  retryAfterMs: number;
}

export function checkInteger(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be a safe integer >= ${min}, got ${String(value)}`);
  }
}

export function checkTtl(ttlMs: number | undefined): void {
  if (ttlMs !== undefined) checkInteger('ttlMs', ttlMs, 1);
}

const gaugeKey = (key: string): string => `gauge:${key}`;
const windowKey = (key: string, windowMs: number, atMs: number): string =>
  `rl:${key}:${windowMs}:${windowStartMs(windowMs, atMs) / windowMs}`;

function planOne(bucket: ReleaseBucket, limit: number, atMs: number, minCost: number): PlannedBucket {
  checkInteger('bucket cost', bucket.cost, minCost);
  if (bucket.kind === 'gauge') {
    checkInteger('gauge ttlMs', bucket.ttlMs, 1);
    return {
      name: bucket.key,
      key: gaugeKey(bucket.key),
      limit,
      cost: bucket.cost,
      ttlMs: bucket.ttlMs,
      gauge: true,
      retryAfterMs: 0,
    };
  }
  checkInteger('bucket windowMs', bucket.windowMs, 1);
  const left = windowStartMs(bucket.windowMs, atMs) + bucket.windowMs - atMs;
  return {
    name: bucket.key,
    key: windowKey(bucket.key, bucket.windowMs, atMs),
    limit,
    cost: bucket.cost,
    ttlMs: Math.max(1, left),
    gauge: false,
    retryAfterMs: left,
  };
}

export function planConsume(buckets: readonly AdmissionBucket[], nowMs: number): PlannedBucket[] {
  checkInteger('nowMs', nowMs, 0);
  return buckets.map((bucket) => {
    checkInteger('bucket limit', bucket.limit, 0);
    return planOne(bucket, bucket.limit, nowMs, 0);
  });
}

export function planRelease(buckets: readonly ReleaseBucket[], consumedAtMs: number): PlannedBucket[] {
  checkInteger('consumedAtMs', consumedAtMs, 0);
  return buckets.map((bucket) => planOne(bucket, 0, consumedAtMs, Number.MIN_SAFE_INTEGER));
}

/** The keys `peek` reads (without the backend's prefix), in input order. */
export function planPeek(buckets: readonly PeekBucket[], nowMs: number): string[] {
  checkInteger('nowMs', nowMs, 0);
  return buckets.map((bucket) => {
    if (bucket.kind === 'gauge') return gaugeKey(bucket.key);
    checkInteger('bucket windowMs', bucket.windowMs, 1);
    return windowKey(bucket.key, bucket.windowMs, nowMs);
  });
}

/** A stored count as `peek` reports it: 0 when absent; a non-integer is a bug, not a count. */
export function countOf(key: string, value: string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const count = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(count)) {
    throw new Error(`value of '${key}' is not an integer`);
  }
  return count;
}

/**
 * The all-or-nothing decision, given which buckets would overflow (0-based indexes, in order).
 * The Lua scripts and the memory backend find the overflowing buckets the same way; this picks
 * the one to report: a bucket whose cost alone exceeds its limit first, else the longest wait.
 */
export function refusal(planned: readonly PlannedBucket[], overflowing: readonly number[]): ConsumeResult {
  let best: { index: number; tooLarge: boolean; retryAfterMs: number } | undefined;
  for (const index of overflowing) {
    const bucket = planned[index];
    if (bucket === undefined) continue;
    const tooLarge = bucket.cost > bucket.limit;
    const worse =
      best === undefined ||
      (tooLarge && !best.tooLarge) ||
      (tooLarge === best.tooLarge && bucket.retryAfterMs > best.retryAfterMs);
    if (worse) best = { index, tooLarge, retryAfterMs: bucket.retryAfterMs };
  }
  if (best === undefined) throw new Error('refusal() needs at least one overflowing bucket');
  return {
    allowed: false,
    bucket: best.index,
    key: planned[best.index]?.name ?? '',
    retryAfterMs: best.retryAfterMs,
    tooLarge: best.tooLarge,
  };
}
