import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger';
import { MemoryCacheBackend } from '../store/cache/memory/memory-cache';
import { announceControlPlaneChange, CONTROL_PLANE_CHANNEL } from './invalidation';
import { SnapshotWatcher } from './snapshot-watcher';

describe('SnapshotWatcher', () => {
  it('reloads only when the version stamp moves, and retries after a failed reload', async () => {
    let version = 1;
    let reloads = 0;
    let failNext = false;
    const holder = {
      reload: () => {
        reloads++;
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('store down'));
        }
        return Promise.resolve({} as never);
      },
    };
    const watcher = new SnapshotWatcher(
      holder,
      { readControlPlaneVersion: () => Promise.resolve(version) },
      silentLogger,
      1,
    );

    expect(await watcher.check()).toBe(false);
    version = 2;
    expect(await watcher.check()).toBe(true);
    expect(await watcher.check()).toBe(false);
    expect(reloads).toBe(1);

    version = 3;
    failNext = true;
    expect(await watcher.check()).toBe(false);
    expect(await watcher.check()).toBe(true);
    expect(reloads).toBe(3);
  });
});

describe('SnapshotWatcher with announcements', () => {
  function setup() {
    const state = { version: 1, reloads: 0, reads: 0, readGate: undefined as Promise<void> | undefined };
    const holder = {
      reload: () => {
        state.reloads++;
        return Promise.resolve({} as never);
      },
    };
    const store = {
      readControlPlaneVersion: async () => {
        state.reads++;
        const observed = state.version;
        await state.readGate;
        return observed;
      },
    };
    const cache = new MemoryCacheBackend({ sweepIntervalMs: 0 });
    const watcher = new SnapshotWatcher(holder, store, silentLogger, 1);
    return { state, cache, watcher };
  }

  const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('reloads on an announcement without waiting for the poll, and ignores versions it has', async () => {
    const { state, cache, watcher } = setup();
    watcher.start(3_600_000);
    expect(await watcher.listen(cache)).toBe(true);
    state.version = 2;
    await announceControlPlaneChange(cache, 2);
    await settled();
    expect(state.reloads).toBe(1);

    await announceControlPlaneChange(cache, 2);
    await announceControlPlaneChange(cache, 1);
    await settled();
    expect(state.reads).toBe(1);

    // A message that is not a version still triggers a check.
    state.version = 3;
    await cache.publish(CONTROL_PLANE_CHANNEL, 'changed');
    await settled();
    expect(state.reloads).toBe(2);

    watcher.stop();
    state.version = 4;
    await announceControlPlaneChange(cache, 4);
    await settled();
    expect(state.reloads).toBe(2);
    await cache.close();
  });

  it('checks again when an announcement arrives during a check that read the old stamp', async () => {
    const { state, cache, watcher } = setup();
    await watcher.listen(cache);
    let open!: () => void;
    state.readGate = new Promise<void>((resolve) => (open = resolve));
    const polling = watcher.check();
    // The write lands after the running check read its stamp.
    state.version = 2;
    await announceControlPlaneChange(cache, 2);
    await settled();
    state.readGate = undefined;
    open();
    expect(await polling).toBe(false);
    await settled();
    expect(state.reloads).toBe(1);
    watcher.stop();
    await cache.close();
  });

  it('keeps polling alone when the cache cannot subscribe', async () => {
    const { cache, watcher } = setup();
    await cache.close();
    expect(await watcher.listen(cache)).toBe(false);
  });
});
