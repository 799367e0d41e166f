import Sqlite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/control-plane/snapshot';
import { KyselyControlPlaneStore } from '../../src/store/persistence/kysely-store';
import { migrateToLatest } from '../../src/store/persistence/migrate';
import { StaticMigrationProvider, migrations } from '../../src/store/persistence/migrations';
import type { Database } from '../../src/store/persistence/schema';

describe('migration 0008 (orgs, teams, permissions)', () => {
  let db: Kysely<Database>;
  beforeEach(() => {
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new Sqlite(':memory:') }) });
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('keeps users stored before it able to call every model, in no org', async () => {
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0008'));
    const migrator = new Migrator({ db, provider: new StaticMigrationProvider(before) });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const old = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await old
      .insertInto('users')
      .values({ id: 'u', name: 'ann', is_admin: 0, enabled: 1, created_at: '2026-01-01T00:00:00Z' })
      .execute();
    await old
      .insertInto('user_keys')
      .values({
        id: 'k',
        user_id: 'u',
        label: 'k',
        digest: 'd'.repeat(64),
        hint: 'sk-…',
        enabled: 1,
        expires_at: null,
        created_at: '2026-01-01T00:00:00Z',
      })
      .execute();

    expect(await migrateToLatest(db as Kysely<unknown>)).toContain('0008-tenancy');
    const data = await new KyselyControlPlaneStore(db).loadControlPlane();
    expect(data.orgs).toEqual([]);
    expect(data.users[0]).toMatchObject({ orgId: null, teamId: null, permissions: ['*'] });
    expect(data.userKeys[0]).toMatchObject({ permissions: [], sealedKey: null });
    expect(buildSnapshot(data, 1).keysByDigest.get('d'.repeat(64))?.access.all).toBe(true);
  });
});
