/**
 * The cache port: ephemeral state shared by the instances of one deployment (counters, rate-limit
 * admission, leases, pub/sub). Backends live in src/store/cache (memory, Redis, Upstash-style REST)
 * and all pass test/cache/conformance.ts. Nothing here is durable: a backend may lose everything
 * on restart, and callers must tolerate that (limits reset, leases vanish, messages are missed).
 * Web APIs only: the core also runs on Cloudflare Workers.
 */

export interface CacheTtlOptions {
  /** Time to live in ms (a positive integer); absent: the key does not expire. */
  ttlMs?: number;
}

/**
 * A fixed-window counter: counts live in windows aligned to multiples of `windowMs` since the
 * epoch, `[k * windowMs, (k + 1) * windowMs)`, picked from the caller's `nowMs`. A refusal's
 * retry-after is the time left in the current window. Fixed windows admit up to twice the limit
 * across a window boundary; in exchange each bucket is one integer and the result is exact.
 */
export interface WindowBucket {
  kind?: 'window';
  key: string;
  /** Most units the window admits (a non-negative integer). */
  limit: number;
  /** Window length in ms (a positive integer): 60_000 for per-minute limits, 86_400_000 per day. */
  windowMs: number;
  /** Units this admission takes (a non-negative integer): 1 request, N tokens, N micro-dollars. */
  cost: number;
}

/**
 * A gauge: units held until released, such as concurrency slots. `ttlMs` is a leak guard: it is
 * refreshed on every consume and release, so the gauge resets only after `ttlMs` without activity
 * (holders that crashed without releasing). A refusal's retry-after is 0: a slot frees when a
 * holder releases, which the backend cannot predict; the caller picks its own back-off.
 */
export interface GaugeBucket {
  kind: 'gauge';
  key: string;
  limit: number;
  ttlMs: number;
  cost: number;
}

export type AdmissionBucket = WindowBucket | GaugeBucket;

/** What `release` needs of a bucket; an `AdmissionBucket` can be passed as is (its limit is ignored). */
export type ReleaseBucket = Omit<WindowBucket, 'limit'> | Omit<GaugeBucket, 'limit'>;

/**
 * What `peek` needs of a bucket: a window bucket's key and window length, or a gauge's key. An
 * `AdmissionBucket` can be passed as is (its limit and cost are ignored).
 */
export type PeekBucket = Pick<WindowBucket, 'kind' | 'key' | 'windowMs'> | Pick<GaugeBucket, 'kind' | 'key'>;

/** Start (inclusive) of the fixed window of length `windowMs` that contains `atMs`. */
export function windowStartMs(windowMs: number, atMs: number): number {
  return Math.floor(atMs / windowMs) * windowMs;
}

export type ConsumeResult =
  | {
      allowed: true;
      /** Per bucket, in input order: units left after this admission (`limit - count`). */
      remaining: number[];
    }
  | {
      allowed: false;
      /** Index (input order) of the refusing bucket with the longest wait; ties: the lowest index. */
      bucket: number;
      key: string;
      /** Ms until the refusing bucket's window ends (0 for a gauge). */
      retryAfterMs: number;
      /** The cost alone exceeds the limit: waiting will not help. Such a bucket is reported first. */
      tooLarge: boolean;
    };

export type CacheMessageHandler = (message: string) => void;
/** Stops one subscription; resolves when the backend no longer delivers to its handler. */
export type Unsubscribe = () => Promise<void>;

export interface CacheBackend {
  /** `memory`, `redis` or `upstash`: for logs and health output. */
  readonly kind: string;

  get(key: string): Promise<string | null>;
  /** Stores `value`, replacing any value and TTL the key had. */
  set(key: string, value: string, options?: CacheTtlOptions): Promise<void>;
  /** Removes the key; resolves to whether it existed. */
  delete(key: string): Promise<boolean>;

  /**
   * Atomically adds `by` (a safe integer, may be negative) and returns the new value. `ttlMs`
   * applies only when this call creates the key; an existing key keeps its TTL (or none). Counters
   * share the key space of get/set: `get` reads a counter as its decimal string.
   */
  incrBy(key: string, by: number, options?: CacheTtlOptions): Promise<number>;

  /**
   * Admits `cost` against every bucket, all or nothing and atomically (one round trip, exact under
   * any concurrency across instances): if any bucket would exceed its limit, nothing is consumed.
   * A key listed twice counts both costs. `nowMs` picks the windows; pass the clock's now.
   */
  consume(buckets: readonly AdmissionBucket[], nowMs: number): Promise<ConsumeResult>;

  /**
   * Gives units back: frees concurrency slots, or refunds a reservation that proved too large
   * (TPM estimated before the request, settled after). Window buckets address the window that
   * contained `consumedAtMs`; a window that has ended is left alone. Counts never go below zero.
   * A negative cost charges extra units without a limit check (usage beyond the reservation).
   */
  release(buckets: readonly ReleaseBucket[], consumedAtMs: number): Promise<void>;

  /**
   * Reads buckets without changing them (one round trip): per bucket, in input order, its current
   * count — for a window bucket the count of the window that contains `nowMs`, for a gauge the
   * units held — or 0 when nothing is counted there. Neither TTLs nor counts are touched; a key
   * listed twice reads the same count twice.
   */
  peek(buckets: readonly PeekBucket[], nowMs: number): Promise<number[]>;

  /** Takes the lease when it is free (or expired); resolves to the holder's token, else null. */
  acquireLease(key: string, ttlMs: number): Promise<string | null>;
  /** Extends the lease to `ttlMs` from now if `token` still holds it; resolves to whether it did. */
  renewLease(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Frees the lease if `token` still holds it; resolves to whether it did. */
  releaseLease(key: string, token: string): Promise<boolean>;

  /**
   * Delivers `message` to the current subscribers of `channel`, at most once, best effort:
   * a subscriber that is disconnected at that moment misses it.
   */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Calls `handler` for each message published on `channel` from the moment the returned promise
   * resolves. A handler that throws is reported to the backend's logger and does not affect others.
   */
  subscribe(channel: string, handler: CacheMessageHandler): Promise<Unsubscribe>;

  /** Resolves when the backend answers; rejects with CacheUnavailableError otherwise. */
  ping(): Promise<void>;
  /** Ends subscriptions and connections. Idempotent; later operations reject. */
  close(): Promise<void>;
}

/**
 * The backend could not be reached (connection refused or lost, timeout, HTTP 5xx/401) or is
 * closed. Operations reject with it rather than guessing; callers decide whether to fail open
 * (admit) or closed (refuse).
 */
export class CacheUnavailableError extends Error {
  override readonly name = 'CacheUnavailableError';
  readonly backend: string;

  constructor(backend: string, message: string, options?: { cause?: unknown }) {
    super(`${backend} cache backend unavailable: ${message}`, options);
    this.backend = backend;
  }
}
