import Sqlite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KyselyControlPlaneStore } from '../../src/store/persistence/kysely-store';
import { migrateToLatest } from '../../src/store/persistence/migrate';
import { StaticMigrationProvider, migrations } from '../../src/store/persistence/migrations';
import type { Database } from '../../src/store/persistence/schema';

describe('migration 0003 (credential settings and budgets)', () => {
  let db: Kysely<Database>;
  beforeEach(() => {
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new Sqlite(':memory:') }) });
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('gives credentials stored before it no settings and no budgets', async () => {
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0003'));
    const migrator = new Migrator({ db, provider: new StaticMigrationProvider(before) });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const old = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await old
      .insertInto('providers')
      .values({ id: 'p', name: 'oa', channel: 'openai', settings: '{}', enabled: 1 })
      .execute();
    await old
      .insertInto('credentials')
      .values({ id: 'c', provider_id: 'p', label: 'main', secret: '{"api_key":"k"}', weight: 2, enabled: 1 })
      .execute();

    expect((await migrateToLatest(db as Kysely<unknown>))[0]).toBe('0003-credential-settings');
    const { credentials } = await new KyselyControlPlaneStore(db).loadControlPlane();
    expect(credentials).toEqual([
      {
        id: 'c',
        providerId: 'p',
        label: 'main',
        secret: { api_key: 'k' },
        settings: {},
        weight: 2,
        rpm: null,
        tpm: null,
        enabled: true,
      },
    ]);
  });
});
