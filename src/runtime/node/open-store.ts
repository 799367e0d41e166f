/**
 * Opens the persistence backend a DSN names, sealing secrets with the master key. Each backend is
 * imported only when chosen, so the default SQLite path never loads pg, mysql2 or libSQL.
 */
import type { ControlPlaneStore } from '../../control-plane/ports';
import { sealerFromEnv } from '../../control-plane/secret-envelope';
import { parseDsn } from '../../store/persistence/parse-dsn';

/** `masterKey` is GPROXY_MASTER_KEY: without it secrets are stored as plaintext JSON. */
export async function openStore(dsn: string, masterKey?: string): Promise<ControlPlaneStore> {
  const target = parseDsn(dsn);
  const sealer = await sealerFromEnv(masterKey);
  switch (target.kind) {
    case 'sqlite': {
      const { openSqliteStore } = await import('../../store/persistence/sqlite/open-sqlite');
      return openSqliteStore({ file: target.file, sealer });
    }
    case 'postgres': {
      const { openPostgresStore } = await import('../../store/persistence/postgres/open-postgres');
      return openPostgresStore({ target, sealer });
    }
    case 'mysql': {
      const { openMysqlStore } = await import('../../store/persistence/mysql/open-mysql');
      return openMysqlStore({ target, sealer });
    }
    case 'libsql': {
      const { openLibsqlStore } = await import('../../store/persistence/libsql/open-libsql');
      return openLibsqlStore({ target, sealer });
    }
  }
}
