/**
 * The default cache backend: one process, exact (JavaScript runs one operation at a time, so
 * every method is atomic), nothing shared between instances. Expired keys are dropped when read
 * and by a periodic sweep whose timer does not keep the process alive. Pub/sub is in-process only.
 */
import type {
  AdmissionBucket,
  CacheBackend,
  CacheMessageHandler,
  CacheTtlOptions,
  ConsumeResult,
  PeekBucket,
  ReleaseBucket,
  Unsubscribe,
} from '../../../control-plane/cache-port';
import { CacheUnavailableError } from '../../../control-plane/cache-port';
import type { Logger } from '../../../core/logger';
import { silentLogger } from '../../../core/logger';
import {
  checkInteger,
  checkTtl,
  countOf,
  kvKey,
  leaseKey,
  planConsume,
  planPeek,
  planRelease,
  refusal,
} from '../shared/bucket-plan';

export interface MemoryCacheOptions {
  /** Milliseconds since the epoch, for TTLs; tests pass a fake. Default Date.now. */
  now?: () => number;
  /** How often expired keys are swept (default 30 s; 0 disables the sweep). */
  sweepIntervalMs?: number;
  /** Receives errors thrown by subscribers. */
  logger?: Logger;
}

interface Entry {
  value: string;
  /** Absent: no TTL. */
  expiresAt?: number;
}

interface Subscription {
  handler: CacheMessageHandler;
  active: boolean;
}

export class MemoryCacheBackend implements CacheBackend {
  readonly kind = 'memory';
  private readonly entries = new Map<string, Entry>();
  private readonly channels = new Map<string, Set<Subscription>>();
  private readonly now: () => number;
  private readonly logger: Logger;
  private timer: ReturnType<typeof setInterval> | undefined;
  private closed = false;

  constructor(options: MemoryCacheOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.logger = options.logger ?? silentLogger;
    const sweepMs = options.sweepIntervalMs ?? 30_000;
    if (sweepMs > 0) {
      this.timer = setInterval(() => this.sweep(), sweepMs);
      (this.timer as { unref?: () => void }).unref?.();
    }
  }

  /** Drops every expired key; returns how many. Runs on the sweep timer. */
  sweep(): number {
    const now = this.now();
    let dropped = 0;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) {
        this.entries.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  /** Number of stored keys, expired ones not yet swept included (for tests). */
  get size(): number {
    return this.entries.size;
  }

  get(key: string): Promise<string | null> {
    return this.run(() => this.read(kvKey(key))?.value ?? null);
  }

  set(key: string, value: string, options: CacheTtlOptions = {}): Promise<void> {
    return this.run(() => {
      checkTtl(options.ttlMs);
      this.entries.set(kvKey(key), this.entry(value, options.ttlMs));
    });
  }

  delete(key: string): Promise<boolean> {
    return this.run(() => this.read(kvKey(key)) !== undefined && this.entries.delete(kvKey(key)));
  }

  incrBy(key: string, by: number, options: CacheTtlOptions = {}): Promise<number> {
    return this.run(() => {
      checkInteger('by', by, Number.MIN_SAFE_INTEGER);
      checkTtl(options.ttlMs);
      return this.add(kvKey(key), by, options.ttlMs);
    });
  }

  consume(buckets: readonly AdmissionBucket[], nowMs: number): Promise<ConsumeResult> {
    return this.run((): ConsumeResult => {
      const planned = planConsume(buckets, nowMs);
      const after = new Map<string, number>();
      const counts: number[] = [];
      const overflowing: number[] = [];
      planned.forEach((bucket, index) => {
        const total = (after.get(bucket.key) ?? this.integer(bucket.key)) + bucket.cost;
        if (total > bucket.limit) overflowing.push(index);
        after.set(bucket.key, total);
        counts.push(total);
      });
      if (overflowing.length > 0) return refusal(planned, overflowing);
      for (const bucket of planned) {
        if (bucket.cost > 0) this.add(bucket.key, bucket.cost, bucket.ttlMs);
        const entry = this.read(bucket.key);
        if (entry === undefined) continue;
        if (bucket.gauge || entry.expiresAt === undefined) entry.expiresAt = this.now() + bucket.ttlMs;
      }
      return { allowed: true, remaining: planned.map((bucket, i) => bucket.limit - (counts[i] ?? 0)) };
    });
  }

  release(buckets: readonly ReleaseBucket[], consumedAtMs: number): Promise<void> {
    return this.run(() => {
      for (const bucket of planRelease(buckets, consumedAtMs)) {
        const entry = this.read(bucket.key);
        if (entry === undefined && bucket.cost >= 0) continue;
        const left = this.add(bucket.key, -bucket.cost, bucket.ttlMs);
        if (left <= 0) this.entries.delete(bucket.key);
        else if (entry !== undefined && (bucket.gauge || entry.expiresAt === undefined)) {
          entry.expiresAt = this.now() + bucket.ttlMs;
        }
      }
    });
  }

  peek(buckets: readonly PeekBucket[], nowMs: number): Promise<number[]> {
    return this.run(() => planPeek(buckets, nowMs).map((key) => this.integer(key)));
  }

  acquireLease(key: string, ttlMs: number): Promise<string | null> {
    return this.run(() => {
      checkInteger('ttlMs', ttlMs, 1);
      if (this.read(leaseKey(key)) !== undefined) return null;
      const token = crypto.randomUUID();
      this.entries.set(leaseKey(key), this.entry(token, ttlMs));
      return token;
    });
  }

  renewLease(key: string, token: string, ttlMs: number): Promise<boolean> {
    return this.run(() => {
      checkInteger('ttlMs', ttlMs, 1);
      const entry = this.read(leaseKey(key));
      if (entry?.value !== token) return false;
      entry.expiresAt = this.now() + ttlMs;
      return true;
    });
  }

  releaseLease(key: string, token: string): Promise<boolean> {
    return this.run(() => this.read(leaseKey(key))?.value === token && this.entries.delete(leaseKey(key)));
  }

  publish(channel: string, message: string): Promise<void> {
    return this.run(() => {
      for (const subscription of this.channels.get(channel) ?? []) {
        // Delivered after publish returns, as a networked backend would.
        queueMicrotask(() => {
          if (!subscription.active) return;
          try {
            subscription.handler(message);
          } catch (error) {
            this.logger.error({ err: error, channel }, 'cache subscriber failed');
          }
        });
      }
    });
  }

  subscribe(channel: string, handler: CacheMessageHandler): Promise<Unsubscribe> {
    return this.run(() => {
      const subscription: Subscription = { handler, active: true };
      let set = this.channels.get(channel);
      if (set === undefined) this.channels.set(channel, (set = new Set()));
      set.add(subscription);
      return () => {
        subscription.active = false;
        const current = this.channels.get(channel);
        current?.delete(subscription);
        if (current?.size === 0) this.channels.delete(channel);
        return Promise.resolve();
      };
    });
  }

  ping(): Promise<void> {
    return this.run(() => undefined);
  }

  close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    for (const set of this.channels.values()) for (const subscription of set) subscription.active = false;
    this.channels.clear();
    this.entries.clear();
    return Promise.resolve();
  }

  private run<T>(operation: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new CacheUnavailableError('memory', 'the cache is closed'));
    try {
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private entry(value: string, ttlMs: number | undefined): Entry {
    return ttlMs === undefined ? { value } : { value, expiresAt: this.now() + ttlMs };
  }

  /** The live entry, dropping it when expired. */
  private read(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private integer(key: string): number {
    return countOf(key, this.read(key)?.value);
  }

  /** INCRBY: adds to an integer entry; a created entry gets `ttlMs`, an existing one keeps its TTL. */
  private add(key: string, by: number, ttlMs: number | undefined): number {
    const value = this.integer(key) + by;
    if (!Number.isSafeInteger(value))
      throw new RangeError(`increment of '${key}' leaves the safe integer range`);
    const entry = this.read(key);
    if (entry === undefined) this.entries.set(key, this.entry(String(value), ttlMs));
    else entry.value = String(value);
    return value;
  }
}
