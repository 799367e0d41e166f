/**
 * Opens a MySQL or MariaDB database (Kysely's MysqlDialect over a mysql2 pool) as a migrated
 * store. Tested against MariaDB 10.11; MySQL >= 8.0.13 is expected to work (migration 0003 needs
 * expression defaults).
 */
import { createPool } from 'mysql2';
import { CompiledQuery, Kysely, MysqlDialect } from 'kysely';
import type { SecretSealer } from '../../../control-plane/secret-envelope';
import type { KyselyControlPlaneStore } from '../kysely-store';
import { migrateOrDestroy } from '../migrate';
import type { MysqlTarget } from '../parse-dsn';
import type { Database } from '../schema';
import { MysqlControlPlaneStore } from './mysql-store';
import { prepareMysqlDatabase } from './prepare-database';

export interface MysqlStoreOptions {
  target: MysqlTarget;
  /** Seals credential secrets at rest (see sealerFromEnv); plaintext JSON when absent. */
  sealer?: SecretSealer;
}

export const DEFAULT_POOL_MAX = 10;

// Strict, whatever the server's default: a value too long for its column is an error, never a
// silently truncated row; and a missing InnoDB is an error, never a MyISAM table without
// transactions or foreign keys.
const SESSION_SQL_MODE = "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'";

export async function openMysqlStore(options: MysqlStoreOptions): Promise<KyselyControlPlaneStore> {
  const { target } = options;
  const pool = createPool({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    // The connection's character set: all of Unicode. Tables are utf8mb4_bin (prepare-database.ts).
    charset: 'UTF8MB4_BIN',
    ssl: target.tls === 'disable' ? undefined : { rejectUnauthorized: target.tls === 'verify-full' },
    connectionLimit: target.poolMax ?? DEFAULT_POOL_MAX,
    // BIGINT as a number while it is exact, as a string beyond 2^53 (rows.ts reads with Number()).
    supportBigNumbers: true,
    connectTimeout: 10_000,
    enableKeepAlive: true,
  });
  const db = new Kysely<Database>({
    dialect: new MysqlDialect({
      pool,
      onCreateConnection: async (connection) => {
        await connection.executeQuery(CompiledQuery.raw(SESSION_SQL_MODE));
      },
    }),
  });
  try {
    await prepareMysqlDatabase(db as Kysely<unknown>);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new MysqlControlPlaneStore(await migrateOrDestroy(db), { sealer: options.sealer });
}
