import { describe, expect, it } from 'vitest';
import { sampleData } from '../../test/store/fixtures';
import type { ControlPlaneData } from './model';
import { SnapshotHolder } from './snapshot-holder';

/** A store whose loads are resolved by the test, to control interleavings. */
class ScriptedStore {
  data: ControlPlaneData;
  loads = 0;
  pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  manual = false;

  constructor(data: ControlPlaneData) {
    this.data = data;
  }

  loadControlPlane(): Promise<ControlPlaneData> {
    this.loads++;
    // The read happens now; only the answer is delayed.
    const read = structuredClone(this.data);
    if (!this.manual) return Promise.resolve(read);
    return new Promise((resolve, reject) => this.pending.push({ resolve: () => resolve(read), reject }));
  }

  /** Delivers the oldest outstanding load. */
  answer(): void {
    this.pending.shift()!.resolve();
  }

  fail(): void {
    this.pending.shift()!.reject(new Error('database is locked'));
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('SnapshotHolder', () => {
  it('builds version 1 at creation and swaps in a newer version on reload', async () => {
    const store = new ScriptedStore(await sampleData());
    const holder = await SnapshotHolder.create(store);
    const first = holder.current;
    expect(first.version).toBe(1);
    expect(first.routesByName.has('gpt-fast')).toBe(true);

    store.data.routes[0]!.enabled = false;
    const second = await holder.reload();
    expect(second.version).toBe(2);
    expect(holder.current).toBe(second);
    expect(second.routesByName.has('gpt-fast')).toBe(false);
    // The old snapshot object is untouched: readers holding it see a consistent view.
    expect(first.routesByName.has('gpt-fast')).toBe(true);
  });

  it('keeps the current snapshot until the new one is complete, and after a failed reload', async () => {
    const store = new ScriptedStore(await sampleData());
    const holder = await SnapshotHolder.create(store);
    const first = holder.current;
    store.manual = true;

    const failing = holder.reload();
    await flush();
    expect(holder.current).toBe(first); // still loading
    store.fail();
    await expect(failing).rejects.toThrow('database is locked');
    expect(holder.current).toBe(first);

    const next = holder.reload();
    await flush();
    store.answer();
    expect((await next).version).toBe(2);
    expect(holder.current.version).toBe(2);
  });

  it('coalesces reloads requested while one is running into a single follow-up', async () => {
    const store = new ScriptedStore(await sampleData());
    const holder = await SnapshotHolder.create(store);
    store.manual = true;

    const a = holder.reload();
    await flush();
    // A change lands after the running load has read the store: b, c and d must see it.
    store.data.aliases = [];
    const b = holder.reload();
    const c = holder.reload();
    const d = holder.reload();
    expect(c).toBe(b);
    expect(d).toBe(b);

    store.answer();
    const snapA = await a;
    await flush();
    expect(store.loads).toBe(3); // create + running + one follow-up
    store.answer();
    const snapB = await b;

    expect(snapA.aliases.size).toBe(2);
    expect(snapB.aliases.size).toBe(0);
    expect(snapB.version).toBeGreaterThan(snapA.version);
    expect(holder.current).toBe(snapB);
  });

  it('runs the follow-up even when the running reload fails', async () => {
    const store = new ScriptedStore(await sampleData());
    const holder = await SnapshotHolder.create(store);
    store.manual = true;
    const a = holder.reload();
    const b = holder.reload();
    await flush();
    store.fail();
    await expect(a).rejects.toThrow();
    await flush();
    store.answer();
    expect((await b).version).toBe(2);
  });
});
