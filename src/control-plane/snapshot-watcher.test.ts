import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger';
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
