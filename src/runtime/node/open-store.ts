/** Opens the persistence backend a DSN names (only SQLite so far), sealing secrets with the master key. */
import type { ControlPlaneStore } from '../../control-plane/ports';
import { sealerFromEnv } from '../../control-plane/secret-envelope';
import { openSqliteStore, parseDsn } from '../../store/persistence/sqlite/open-sqlite';

/** `masterKey` is GPROXY_MASTER_KEY: without it secrets are stored as plaintext JSON. */
export async function openStore(dsn: string, masterKey?: string): Promise<ControlPlaneStore> {
  const target = parseDsn(dsn);
  return openSqliteStore({ file: target.file, sealer: await sealerFromEnv(masterKey) });
}
