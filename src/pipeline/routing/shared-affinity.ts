/**
 * Affinity pins in the shared cache backend, so every instance of a deployment keeps a subject on
 * the same member and credential (docs/routing.md, "Affinity"). One `get` per request of a route
 * with affinity and one `set` per successful answer; routes without affinity never touch the cache.
 * Every pin is also kept in this process's map, which answers while the cache is down.
 */
import type { CacheBackend } from '../../control-plane/cache-port';
import type { Logger } from '../../core/logger';
import { isSharedCache, OutageNotice } from '../shared-cache';
import { MemoryAffinityStore, type AffinityPin, type AffinityStore } from './affinity';

/** The cache key of a pin; the store key joins its parts with NUL, which is escaped here. */
export const affinityCacheKey = (key: string): string => `affinity:${encodeURIComponent(key)}`;

function decodePin(value: string | null): AffinityPin | undefined {
  if (value === null) return undefined;
  try {
    const parsed = JSON.parse(value) as { m?: unknown; c?: unknown };
    if (typeof parsed.m !== 'string' || (parsed.c !== null && typeof parsed.c !== 'string')) return undefined;
    return { memberId: parsed.m, credentialId: parsed.c };
  } catch {
    return undefined;
  }
}

export class SharedAffinityStore implements AffinityStore {
  private readonly local = new MemoryAffinityStore();
  private readonly outage: OutageNotice;

  constructor(
    private readonly cache: CacheBackend,
    logger: Logger,
  ) {
    this.outage = new OutageNotice(logger, 'affinity pins', 'pins are kept per instance meanwhile');
  }

  async get(key: string, now: number): Promise<AffinityPin | undefined> {
    try {
      const pin = decodePin(await this.cache.get(affinityCacheKey(key)));
      this.outage.succeeded();
      return pin;
    } catch (error) {
      this.outage.failed(error);
      return this.local.get(key, now);
    }
  }

  async set(key: string, pin: AffinityPin, ttlMs: number, now: number): Promise<void> {
    await this.local.set(key, pin, ttlMs, now);
    const value = JSON.stringify({ m: pin.memberId, c: pin.credentialId });
    try {
      await this.cache.set(affinityCacheKey(key), value, { ttlMs: Math.max(1, Math.round(ttlMs)) });
      this.outage.succeeded();
    } catch (error) {
      this.outage.failed(error);
    }
  }
}

/** Shared pins when the cache backend is shared (Redis, Upstash); an in-process map otherwise. */
export function affinityStoreFor(cache: CacheBackend | undefined, logger: Logger): AffinityStore {
  return isSharedCache(cache) ? new SharedAffinityStore(cache, logger) : new MemoryAffinityStore();
}
