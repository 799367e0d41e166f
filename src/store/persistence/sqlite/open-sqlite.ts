/** Opens the embedded SQLite database (better-sqlite3) as a migrated control-plane store. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { SecretSealer } from '../../../control-plane/secret-envelope';
import { migrateToLatest } from '../migrate';
import type { KyselyControlPlaneStore } from '../kysely-store';
import type { Database } from '../schema';
import { SqliteControlPlaneStore } from './sqlite-store';

// The DSN parser is backend-neutral; re-exported here because runtimes open SQLite by DSN.
export { parseDsn } from '../parse-dsn';
export type { DsnTarget } from '../parse-dsn';

export interface SqliteStoreOptions {
  /** A file path, or `:memory:` for a private in-memory database (tests). */
  file: string;
  /** How long a writer waits for another process's lock before failing, in ms. */
  busyTimeoutMs?: number;
  /** Seals credential secrets at rest (see sealerFromEnv); plaintext JSON when absent. */
  sealer?: SecretSealer;
}

export async function openSqliteStore(options: SqliteStoreOptions): Promise<KyselyControlPlaneStore> {
  const inMemory = options.file === ':memory:';
  if (!inMemory) mkdirSync(dirname(options.file), { recursive: true });
  const sqlite = new Sqlite(options.file);
  try {
    // WAL lets readers (admin, reports) run while the usage writer commits; NORMAL sync is the
    // documented safe pairing with WAL. Foreign keys are off by default in SQLite.
    if (!inMemory) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db as Kysely<unknown>);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new SqliteControlPlaneStore(sqlite, db, { sealer: options.sealer });
}
