/** Opens a PostgreSQL database (Kysely's PostgresDialect over a `pg` pool) as a migrated store. */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { SecretSealer } from '../../../control-plane/secret-envelope';
import { KyselyControlPlaneStore } from '../kysely-store';
import { migrateOrDestroy } from '../migrate';
import type { PostgresTarget } from '../parse-dsn';
import type { Database } from '../schema';

export interface PostgresStoreOptions {
  target: PostgresTarget;
  /** Seals credential secrets at rest (see sealerFromEnv); plaintext JSON when absent. */
  sealer?: SecretSealer;
  /**
   * Told about errors of idle pooled connections (server restart, network drop). pg drops such a
   * connection and opens a new one on the next query; without a listener the error would be an
   * unhandled 'error' event and end the process.
   */
  onPoolError?: (error: Error) => void;
}

/** Small: the store writes in short transactions and reads the control plane rarely. */
export const DEFAULT_POOL_MAX = 10;

export async function openPostgresStore(options: PostgresStoreOptions): Promise<KyselyControlPlaneStore> {
  const { target } = options;
  const pool = new pg.Pool({
    host: target.socketDir ?? target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    ssl: target.tls === 'disable' ? false : { rejectUnauthorized: target.tls === 'verify-full' },
    max: target.poolMax ?? DEFAULT_POOL_MAX,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: 'gproxy',
  });
  pool.on('error', (error) => options.onPoolError?.(error));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return new KyselyControlPlaneStore(await migrateOrDestroy(db), { sealer: options.sealer });
}
