import { emptyControlPlaneData } from '../../src/control-plane/model';
import { migrations as migrations_list } from '../../src/store/persistence/migrations';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KyselyControlPlaneStore } from '../../src/store/persistence/kysely-store';
import { usageFromRow } from '../../src/store/persistence/rows';
import { openSqliteStore } from '../../src/store/persistence/sqlite/open-sqlite';
import { normalize, sampleData, usage } from './fixtures';

describe('SQLite control-plane store (:memory:)', () => {
  let store: KyselyControlPlaneStore;
  beforeEach(async () => {
    store = await openSqliteStore({ file: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('starts empty and round-trips every record type', async () => {
    expect(await store.loadControlPlane()).toEqual(emptyControlPlaneData());
    const data = await sampleData();
    await store.saveControlPlane(data);
    expect(normalize(await store.loadControlPlane())).toEqual(normalize(data));
    expect(await store.countUsers()).toBe(2);
  });

  it('adds, updates and deletes rows so the store equals the saved data', async () => {
    const data = await sampleData();
    await store.saveControlPlane(data);

    const next = await sampleData();
    next.providers[0]!.settings = { base_url: 'http://other/v1' };
    next.providers[0]!.enabled = false;
    next.credentials = next.credentials.filter((c) => c.id !== 'c-oa-b');
    next.credentials.push({
      id: 'c-new',
      providerId: 'p-oa',
      label: 'new',
      secret: { api_key: 'k' },
      settings: { proxy: 'http://127.0.0.1:3128' },
      weight: 3,
      rpm: 10,
      tpm: null,
      enabled: true,
    });
    // Deleting a provider must also work when its children are deleted in the same save.
    next.providers = next.providers.filter((p) => p.id !== 'p-an');
    next.credentials = next.credentials.filter((c) => c.providerId !== 'p-an');
    next.routeMembers = next.routeMembers.filter((m) => m.providerId !== 'p-an');
    // A name freed by a deleted row is reused by a new row in the same save.
    next.aliases = [
      { id: 'a-fast-2', name: 'fast', target: 'oa/gpt-4o', kind: 'exact', providerId: null, position: 0 },
    ];
    next.users[1]!.enabled = true;
    next.userKeys[0]!.enabled = false;

    await store.saveControlPlane(next);
    expect(normalize(await store.loadControlPlane())).toEqual(normalize(next));
  });

  it('bumps the control-plane version on every write and not on reads', async () => {
    const start = await store.readControlPlaneVersion();
    await store.saveControlPlane(await sampleData());
    const afterSave = await store.readControlPlaneVersion();
    expect(afterSave).toBe(start + 1);
    await store.loadControlPlane();
    await store.insertUsage([usage('req-v')]);
    expect(await store.readControlPlaneVersion()).toBe(afterSave);
    const user = {
      id: 'u-new',
      name: 'new',
      isAdmin: false,
      enabled: true,
      createdAt: '2026-01-01T00:00:00Z',
      passwordHash: null,
      orgId: null,
      teamId: null,
      permissions: [],
    };
    await store.createUser(user, []);
    expect(await store.readControlPlaneVersion()).toBe(afterSave + 1);
  });

  it('rolls a failing save back entirely', async () => {
    const data = await sampleData();
    await store.saveControlPlane(data);

    const broken = await sampleData();
    broken.aliases = []; // a delete that must be undone
    broken.providers[0]!.channel = 'changed'; // an update that must be undone
    broken.credentials.push({
      id: 'c-orphan',
      providerId: 'p-missing',
      label: 'x',
      secret: {},
      settings: {},
      weight: 1,
      rpm: null,
      tpm: null,
      enabled: true,
    });

    const version = await store.readControlPlaneVersion();
    await expect(store.saveControlPlane(broken)).rejects.toThrow(/FOREIGN KEY/);
    expect(normalize(await store.loadControlPlane())).toEqual(normalize(data));
    expect(await store.readControlPlaneVersion()).toBe(version);
  });

  it('rejects a duplicate name and keeps the previous state', async () => {
    const data = await sampleData();
    await store.saveControlPlane(data);
    const broken = await sampleData();
    broken.routes.push({
      id: 'r-dup',
      name: 'gpt-fast',
      strategy: 'failover',
      enabled: true,
      affinity: null,
    });
    await expect(store.saveControlPlane(broken)).rejects.toThrow(/UNIQUE/);
    expect(normalize(await store.loadControlPlane())).toEqual(normalize(data));
  });

  it('saves large collections in several batches', async () => {
    const data = await sampleData();
    for (let i = 0; i < 700; i++) {
      data.aliases.push({
        id: `a-${String(i).padStart(4, '0')}`,
        name: `alias-${i}`,
        target: 'gpt-fast',
        kind: 'exact',
        providerId: null,
        position: i + 2,
      });
    }
    await store.saveControlPlane(data);
    expect((await store.loadControlPlane()).aliases).toHaveLength(702);
  });

  it('creates a user with keys and counts users', async () => {
    const data = await sampleData();
    expect(await store.countUsers()).toBe(0);
    await store.createUser(
      data.users[0]!,
      data.userKeys.filter((k) => k.userId === 'u-alice'),
    );
    const loaded = await store.loadControlPlane();
    expect(loaded.users).toEqual([data.users[0]]);
    expect(loaded.userKeys.map((k) => k.id).sort()).toEqual(['k-alice', 'k-alice-old']);
    expect(await store.countUsers()).toBe(1);
  });

  it('stores usage records and ignores repeated request ids', async () => {
    const first = usage('req-1');
    await store.insertUsage([
      first,
      usage('req-2', { stream: false, upstreamWire: null, firstByteMs: null }),
    ]);
    // A retried flush repeats req-1 (with different content) and repeats req-3 within one batch.
    await store.insertUsage([
      usage('req-1', { status: 500 }),
      usage('req-3'),
      usage('req-3', { status: 499 }),
    ]);
    await store.insertUsage([]);

    const rows = await store.db.selectFrom('usage_records').selectAll().orderBy('request_id').execute();
    expect(rows.map((r) => r.request_id)).toEqual(['req-1', 'req-2', 'req-3']);
    expect(usageFromRow(rows[0]!)).toEqual(first);
    expect(usageFromRow(rows[1]!)).toMatchObject({ stream: false, upstreamWire: null, firstByteMs: null });
  });

  it('inserts a usage batch larger than one statement allows', async () => {
    const records = Array.from({ length: 500 }, (_, i) => usage(`req-${i}`));
    await store.insertUsage(records);
    const { n } = await store.db
      .selectFrom('usage_records')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(500);
  });

  it('enforces foreign keys', async () => {
    const result = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
    expect(result.rows[0]?.foreign_keys).toBe(1);
  });
});

describe('SQLite control-plane store (file)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gproxy-store-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates missing directories, uses WAL, and keeps data across reopen', async () => {
    const file = join(dir, 'nested', 'deeper', 'gproxy.db');
    const data = await sampleData();
    const store = await openSqliteStore({ file });
    try {
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      const timeout = await sql<{ timeout: number }>`pragma busy_timeout`.execute(store.db);
      expect(timeout.rows[0]?.timeout).toBe(5000);
      await store.saveControlPlane(data);
      await store.insertUsage([usage('req-1')]);
    } finally {
      await store.close();
    }

    // Reopening runs the migrator again, which must find nothing to do and keep the data.
    const reopened = await openSqliteStore({ file });
    try {
      expect(normalize(await reopened.loadControlPlane())).toEqual(normalize(data));
      await reopened.insertUsage([usage('req-1', { status: 500 })]);
      const rows = await reopened.db.selectFrom('usage_records').select(['request_id', 'status']).execute();
      expect(rows).toEqual([{ request_id: 'req-1', status: 200 }]);
      const migrations = await sql<{ name: string }>`select name from kysely_migration`.execute(reopened.db);
      expect(migrations.rows.map((r) => r.name)).toEqual(Object.keys(migrations_list));
    } finally {
      await reopened.close();
    }
  });
});
