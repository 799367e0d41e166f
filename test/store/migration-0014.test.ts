import Sqlite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/store/persistence/migrate';
import { StaticMigrationProvider, migrations } from '../../src/store/persistence/migrations';

describe('migration 0014 (rollup indexes per subject)', () => {
  let sqlite: Sqlite.Database;
  let db: Kysely<unknown>;
  beforeEach(() => {
    sqlite = new Sqlite(':memory:');
    db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  });
  afterEach(async () => {
    await db.destroy();
  });

  const plan = (column: string): string =>
    (
      sqlite
        .prepare(
          `EXPLAIN QUERY PLAN SELECT SUM(cost_pico_usd) FROM usage_rollups WHERE ${column} = ? AND hour >= ?`,
        )
        .all('x', '2026-11-01T00:00:00.000Z') as { detail: string }[]
    )
      .map((row) => row.detail)
      .join('; ');

  it('lets a subject read its recent rollups through an index, for orgs, teams and keys', async () => {
    await migrateToLatest(db);
    expect(plan('org_id')).toContain('usage_rollups_org_hour_idx');
    expect(plan('team_id')).toContain('usage_rollups_team_hour_idx');
    expect(plan('user_key_id')).toContain('usage_rollups_key_hour_idx');
  });

  it('migrates down again', async () => {
    await migrateToLatest(db);
    const migrator = new Migrator({ db, provider: new StaticMigrationProvider(migrations) });
    const down = await migrator.migrateDown();
    expect(down.error).toBeUndefined();
    expect(down.results?.[0]?.migrationName).toBe('0014-rollup-subject-indexes');
    expect(plan('org_id')).not.toContain('usage_rollups_org_hour_idx');
  });
});
