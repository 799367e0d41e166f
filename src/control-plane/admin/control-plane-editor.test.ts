import { describe, expect, it } from 'vitest';
import { MemoryCacheBackend } from '../../store/cache/memory/memory-cache';
import { emptyControlPlaneData, type ControlPlaneData } from '../model';
import { ADMIN_WRITE_LEASE, cacheEditLock } from './cache-edit-lock';
import { ControlPlaneEditor, type EditorStore } from './control-plane-editor';

const EMPTY: ControlPlaneData = emptyControlPlaneData();

/** A store whose reads and writes yield to the event loop, so unserialised edits would interleave. */
function slowStore(): EditorStore & { data: ControlPlaneData; version: number } {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
  return {
    data: structuredClone(EMPTY),
    version: 0,
    async loadControlPlane() {
      await tick();
      return structuredClone(this.data);
    },
    async saveControlPlane(next) {
      await tick();
      this.data = structuredClone(next);
      this.version++;
    },
    readControlPlaneVersion() {
      return Promise.resolve(this.version);
    },
  };
}

function addProvider(editor: ControlPlaneEditor, name: string): Promise<void> {
  return editor.edit((data) => {
    data.providers.push({ id: name, name, channel: 'mock', settings: {}, enabled: true });
    return { next: data, result: undefined };
  });
}

describe('ControlPlaneEditor', () => {
  it('runs concurrent edits one after another, losing none, and reports each new version', async () => {
    const store = slowStore();
    const versions: number[] = [];
    const editor = new ControlPlaneEditor(store, {
      afterWrite: (v) => Promise.resolve(void versions.push(v)),
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => addProvider(editor, `p${i}`)));
    expect(store.data.providers).toHaveLength(20);
    expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('keeps two instances apart with a lease on the shared cache', async () => {
    const store = slowStore();
    const cache = new MemoryCacheBackend();
    const a = new ControlPlaneEditor(store, { lock: cacheEditLock(cache) });
    const b = new ControlPlaneEditor(store, { lock: cacheEditLock(cache) });
    await Promise.all(Array.from({ length: 20 }, (_, i) => addProvider(i % 2 === 0 ? a : b, `p${i}`)));
    expect(store.data.providers.map((p) => p.name).sort()).toHaveLength(20);
    await cache.close();
  });

  it('answers overloaded when another instance holds the lease past the wait', async () => {
    const cache = new MemoryCacheBackend();
    await cache.acquireLease(ADMIN_WRITE_LEASE, 60_000);
    const editor = new ControlPlaneEditor(slowStore(), { lock: cacheEditLock(cache, { waitMs: 50 }) });
    await expect(addProvider(editor, 'x')).rejects.toMatchObject({ code: 'overloaded' });
    await cache.close();
  });

  it('saves nothing when an edit changes nothing, and a failed edit does not block the next', async () => {
    const store = slowStore();
    const editor = new ControlPlaneEditor(store);
    await editor.edit(() => ({ next: undefined, result: 1 }));
    expect(store.version).toBe(0);
    await expect(editor.edit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await addProvider(editor, 'after');
    expect(store.data.providers.map((p) => p.name)).toEqual(['after']);
  });
});
