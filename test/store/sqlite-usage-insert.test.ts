/**
 * The SQLite store inserts usage through its own cached statement (sqlite-store.ts); it must store
 * exactly what the portable Kysely store stores, and stay out of Kysely's transactions.
 */
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UsageRecord } from '../../src/control-plane/usage-record';
import { KyselyControlPlaneStore } from '../../src/store/persistence/kysely-store';
import { migrateToLatest } from '../../src/store/persistence/migrate';
import type { Database } from '../../src/store/persistence/schema';
import { openSqliteStore } from '../../src/store/persistence/sqlite/open-sqlite';
import { SqliteControlPlaneStore } from '../../src/store/persistence/sqlite/sqlite-store';
import { usage } from './fixtures';

async function portableStore(): Promise<KyselyControlPlaneStore> {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new Sqlite(':memory:') }) });
  await migrateToLatest(db as Kysely<unknown>);
  return new KyselyControlPlaneStore(db);
}

const allRows = (store: KyselyControlPlaneStore) =>
  store.db.selectFrom('usage_records').selectAll().orderBy('request_id').execute();

describe('SQLite usage inserts', () => {
  let store: KyselyControlPlaneStore;
  beforeEach(async () => {
    store = await openSqliteStore({ file: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('is the SQLite store', () => {
    expect(store).toBeInstanceOf(SqliteControlPlaneStore);
  });

  it('stores the same rows as the portable store, batch after batch', async () => {
    const portable = await portableStore();
    try {
      const batches: UsageRecord[][] = [
        [usage('req-1'), usage('req-2', { stream: false, upstreamWire: null, firstByteMs: null })],
        // A retried flush: req-1 again (changed), and req-3 twice in one batch (the last one wins).
        [usage('req-1', { status: 500 }), usage('req-3'), usage('req-3', { status: 499, attempts: 2 })],
        [],
        Array.from({ length: 700 }, (_, i) => usage(`req-many-${i}`, { inputTokens: i })),
      ];
      for (const batch of batches) {
        await store.insertUsage(batch);
        await portable.insertUsage(batch);
      }
      const rows = await allRows(store);
      expect(rows).toHaveLength(703);
      expect(rows).toEqual(await allRows(portable));
      expect(rows.find((r) => r.request_id === 'req-3')).toMatchObject({ status: 499, attempts: 2 });
    } finally {
      await portable.close();
    }
  });

  it('writes a batch entirely or not at all', async () => {
    const broken = usage('req-bad', { operation: null as unknown as UsageRecord['operation'] });
    await expect(store.insertUsage([usage('req-a'), broken, usage('req-b')])).rejects.toThrow();
    expect(await allRows(store)).toEqual([]);
    await store.insertUsage([usage('req-a'), usage('req-b')]);
    expect((await allRows(store)).map((r) => r.request_id)).toEqual(['req-a', 'req-b']);
  });

  it('keeps usage written while a control-plane transaction is open and then rolled back', async () => {
    const version = await store.readControlPlaneVersion();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const failing = store.db.transaction().execute(async (trx) => {
      await sql`update control_plane_meta set value = value + 1`.execute(trx);
      opened();
      await held;
      throw new Error('rolled back');
    });
    await open;
    const written = store.insertUsage([usage('req-during')]);
    release();
    await expect(failing).rejects.toThrow();
    await written;
    expect((await allRows(store)).map((r) => r.request_id)).toEqual(['req-during']);
    expect(await store.readControlPlaneVersion()).toBe(version);
  });
});
