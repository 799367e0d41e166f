/** Brings any Kysely database to the latest schema; shared by every persistence backend. */
import { Migrator } from 'kysely';
import type { Kysely } from 'kysely';
import { StaticMigrationProvider } from './migrations/index';

export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    const which = failed === undefined ? '' : ` (migration ${failed.migrationName})`;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Database migration failed${which}: ${reason}`, { cause: error });
  }
  return (results ?? []).map((r) => r.migrationName);
}

/**
 * Migrates a freshly opened database; on failure the pool is closed before the error goes on, so
 * a failed start leaves no sockets or file handles open.
 */
export async function migrateOrDestroy<DB>(db: Kysely<DB>): Promise<Kysely<DB>> {
  try {
    await migrateToLatest(db as Kysely<unknown>);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}
