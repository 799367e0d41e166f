/**
 * Keeps admin writes of several instances apart: each edit holds a lease on the cache backend for
 * its read-modify-write, so two instances never plan from the same stale read. With the memory
 * backend the lease is per process, which is all a single instance needs.
 */
import { GatewayError } from '../../core/errors';
import type { CacheBackend } from '../cache-port';
import type { EditLock } from './control-plane-editor';

export const ADMIN_WRITE_LEASE = 'gproxy:lease:admin-write';

export interface CacheEditLockOptions {
  /** Longest an edit may hold the lease (it is released as soon as the edit ends). */
  leaseMs?: number;
  /** Longest an edit waits for another instance's edit to finish. */
  waitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export function cacheEditLock(
  cache: Pick<CacheBackend, 'acquireLease' | 'releaseLease'>,
  options: CacheEditLockOptions = {},
): EditLock {
  const leaseMs = options.leaseMs ?? 30_000;
  const waitMs = options.waitMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return async <T>(work: () => Promise<T>): Promise<T> => {
    const deadline = Date.now() + waitMs;
    let token = await cache.acquireLease(ADMIN_WRITE_LEASE, leaseMs);
    for (let pause = 10; token === null; pause = Math.min(pause * 2, 200)) {
      if (Date.now() >= deadline)
        throw new GatewayError('overloaded', 'Another admin change is in progress; try again.', {
          retryAfterSeconds: 1,
        });
      await sleep(pause);
      token = await cache.acquireLease(ADMIN_WRITE_LEASE, leaseMs);
    }
    try {
      return await work();
    } finally {
      await cache.releaseLease(ADMIN_WRITE_LEASE, token);
    }
  };
}
