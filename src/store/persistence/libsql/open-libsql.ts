/**
 * Opens a libSQL database as a migrated store: a remote libSQL server or Turso over HTTP
 * (`libsql:`, `https:`, `http:` URLs with an auth token), or a local file through the libSQL
 * engine (`file:`). Only the client for the chosen kind is loaded: the HTTP client is plain
 * fetch, the local one a native module.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Client } from '@libsql/client';
import { Kysely, sql } from 'kysely';
import type { SecretSealer } from '../../../control-plane/secret-envelope';
import { KyselyControlPlaneStore } from '../kysely-store';
import { migrateOrDestroy } from '../migrate';
import type { LibsqlTarget } from '../parse-dsn';
import type { Database } from '../schema';
import { LibsqlDialect } from './libsql-dialect';

export interface LibsqlStoreOptions {
  target: Pick<LibsqlTarget, 'url' | 'authToken'>;
  /** Seals credential secrets at rest (see sealerFromEnv); plaintext JSON when absent. */
  sealer?: SecretSealer;
  /** Local files: how long a writer waits for another process's lock, in ms. */
  busyTimeoutMs?: number;
}

export async function openLibsqlStore(options: LibsqlStoreOptions): Promise<KyselyControlPlaneStore> {
  const { url, authToken } = options.target;
  const local = url.startsWith('file:');
  let client: Client;
  if (local) {
    const path = url.slice('file:'.length);
    if (!path.startsWith(':memory:')) mkdirSync(dirname(path), { recursive: true });
    const { createClient } = await import('@libsql/client/sqlite3');
    client = createClient({ url, timeout: Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000)) });
  } else {
    const { createClient } = await import('@libsql/client/http');
    client = createClient({ url, authToken });
  }
  const db = new Kysely<Database>({ dialect: new LibsqlDialect({ client }) });
  if (local) {
    try {
      // As for better-sqlite3: readers do not block the writer. Persistent in the file. libSQL
      // enforces foreign keys by default, so no pragma is needed for them.
      await sql`pragma journal_mode = wal`.execute(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
  }
  return new KyselyControlPlaneStore(await migrateOrDestroy(db), { sealer: options.sealer });
}
