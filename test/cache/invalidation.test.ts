/**
 * Two gateway instances (each its own snapshot holder, watcher and Redis connection) sharing one
 * store and one Redis: an announced control-plane change reaches the other instance at once,
 * not at its next poll (the poll interval here is an hour).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CacheBackend } from '../../src/control-plane/cache-port';
import { announceControlPlaneChange } from '../../src/control-plane/invalidation';
import { emptyControlPlaneData } from '../../src/control-plane/model';
import { SnapshotHolder } from '../../src/control-plane/snapshot-holder';
import { SnapshotWatcher } from '../../src/control-plane/snapshot-watcher';
import { silentLogger } from '../../src/core/logger';
import { openRedisCache } from '../../src/store/cache/redis/redis-cache';
import { eventually, sleep } from './conformance';
import { deleteKeys, newRunPrefix, redisSkipReason, TEST_REDIS_URL } from './redis-env';

const skip = await redisSkipReason();
const prefix = newRunPrefix();
const HOUR = 3_600_000;

afterAll(async () => {
  if (skip === undefined) await deleteKeys(prefix);
});

function sharedStore() {
  const state = { version: 1, loads: 0 };
  const empty = emptyControlPlaneData;
  return {
    state,
    loadControlPlane: () => {
      state.loads++;
      return Promise.resolve(empty());
    },
    readControlPlaneVersion: () => Promise.resolve(state.version),
  };
}

describe.skipIf(skip !== undefined)('control-plane invalidation over Redis pub/sub', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function instance(store: ReturnType<typeof sharedStore>, intervalMs = HOUR) {
    const cache: CacheBackend = await openRedisCache({
      url: TEST_REDIS_URL,
      keyPrefix: prefix,
      channelPrefix: prefix,
    });
    const holder = await SnapshotHolder.create(store);
    const watcher = new SnapshotWatcher(holder, store, silentLogger, store.state.version);
    watcher.start(intervalMs);
    cleanup.push(
      () => cache.close(),
      () => watcher.stop(),
    );
    return { cache, holder, watcher };
  }

  it('an announcement makes the other instance reload well within a second', async () => {
    const store = sharedStore();
    const a = await instance(store);
    const b = await instance(store);
    expect(await a.watcher.listen(a.cache)).toBe(true);
    expect(await b.watcher.listen(b.cache)).toBe(true);

    // Instance A persists an admin write, then announces the version it produced.
    store.state.version = 2;
    const started = Date.now();
    expect(await announceControlPlaneChange(a.cache, 2)).toBe(true);
    await eventually(() => {
      expect(b.holder.current.version).toBe(2);
      expect(a.holder.current.version).toBe(2);
    }, 1000);
    expect(Date.now() - started).toBeLessThan(1000);

    // A repeated (or stale) announcement reloads nothing.
    const loads = store.state.loads;
    expect(await announceControlPlaneChange(a.cache, 2)).toBe(true);
    expect(await announceControlPlaneChange(b.cache, 1)).toBe(true);
    await sleep(150);
    expect(store.state.loads).toBe(loads);
    expect(b.holder.current.version).toBe(2);
  });

  it('falls back to polling when announcements cannot be received', async () => {
    const store = sharedStore();
    const b = await instance(store, 50);
    const closed = await openRedisCache({ url: TEST_REDIS_URL });
    await closed.close();
    expect(await b.watcher.listen(closed)).toBe(false);
    store.state.version = 5;
    await eventually(() => expect(b.holder.current.version).toBe(2), 1000);
  });

  it('announcing on a cache that is down resolves false instead of failing the write', async () => {
    const closed = await openRedisCache({ url: TEST_REDIS_URL });
    await closed.close();
    expect(await announceControlPlaneChange(closed, 3, silentLogger)).toBe(false);
  });
});
