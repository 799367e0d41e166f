import Sqlite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KyselyControlPlaneStore } from '../../src/store/persistence/kysely-store';
import { migrateToLatest } from '../../src/store/persistence/migrate';
import { StaticMigrationProvider, migrations } from '../../src/store/persistence/migrations';
import type { Database } from '../../src/store/persistence/schema';

describe('migration 0005 (routing)', () => {
  let sqlite: Sqlite.Database;
  let db: Kysely<Database>;
  beforeEach(() => {
    sqlite = new Sqlite(':memory:');
    sqlite.pragma('foreign_keys = ON');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('keeps existing routes and aliases (global, exact, no affinity) and scopes names per provider', async () => {
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0005'));
    const migrator = new Migrator({ db, provider: new StaticMigrationProvider(before) });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const old = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await old
      .insertInto('providers')
      .values({ id: 'p', name: 'oa', channel: 'openai', settings: '{}', enabled: 1 })
      .execute();
    await old
      .insertInto('routes')
      .values({ id: 'r', name: 'gpt-fast', strategy: 'failover', enabled: 1 })
      .execute();
    await old
      .insertInto('aliases')
      .values([
        { id: 'a1', name: 'fast', target: 'gpt-fast', position: 0 },
        { id: 'a2', name: 'direct', target: 'oa/gpt-4o', position: 1 },
      ])
      .execute();

    expect(await migrateToLatest(db as Kysely<unknown>)).toContain('0005-routing');
    const store = new KyselyControlPlaneStore(db);
    const data = await store.loadControlPlane();
    expect(data.routes).toEqual([
      { id: 'r', name: 'gpt-fast', strategy: 'failover', enabled: true, affinity: null },
    ]);
    expect(data.aliases).toEqual([
      { id: 'a1', name: 'fast', target: 'gpt-fast', kind: 'exact', providerId: null, position: 0 },
      { id: 'a2', name: 'direct', target: 'oa/gpt-4o', kind: 'exact', providerId: null, position: 1 },
    ]);

    // The same name may now exist globally and for a provider; routes store their affinity.
    data.aliases.push({
      id: 'a3',
      name: 'fast',
      target: 'gpt-4o-mini',
      kind: 'exact',
      providerId: 'p',
      position: 2,
    });
    data.aliases.push({
      id: 'a4',
      name: 'gpt-(.*)',
      target: 'oa/gpt-$1',
      kind: 'regex',
      providerId: null,
      position: 3,
    });
    data.routes[0]!.affinity = { subject: 'conversation', ttlSeconds: 900 };
    await store.saveControlPlane(data);
    const saved = await store.loadControlPlane();
    expect(saved.aliases).toHaveLength(4);
    expect(saved.routes[0]!.affinity).toEqual({ subject: 'conversation', ttlSeconds: 900 });

    // A provider's scoped aliases go with it.
    await old.deleteFrom('providers').where('id', '=', 'p').execute();
    expect((await store.loadControlPlane()).aliases.map((a) => a.id)).toEqual(['a1', 'a2', 'a4']);
  });
});
