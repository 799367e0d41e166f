/** The conformance suite on the embedded SQLite backend (better-sqlite3), in a file in a tmp dir. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../../src/store/persistence/sqlite/open-sqlite';
import { describePersistenceConformance } from './conformance';
import { emptyAllTables } from './support';

describePersistenceConformance('SQLite (file)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gproxy-conf-sqlite-'));
  const store = await openSqliteStore({ file: join(dir, 'gproxy.db') });
  return {
    store,
    reset: () => emptyAllTables(store.db),
    close: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
