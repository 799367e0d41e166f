/** Opens the persistence backend a DSN names. Only SQLite exists so far. */
import type { ControlPlaneStore } from '../../control-plane/ports';
import { openSqliteStore, parseDsn } from '../../store/persistence/sqlite/open-sqlite';

export async function openStore(dsn: string): Promise<ControlPlaneStore> {
  const target = parseDsn(dsn);
  return openSqliteStore({ file: target.file });
}
