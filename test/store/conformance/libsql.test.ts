/**
 * The conformance suite on the libSQL backend with a local file (`libsql+file:`), through the same
 * dialect and driver that talk to Turso over HTTP. There is no sqld server in CI, so the remote
 * path is covered by the DSN and client-selection tests only (docs/persistence.md).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLibsqlStore } from '../../../src/store/persistence/libsql/open-libsql';
import { parseDsn } from '../../../src/store/persistence/parse-dsn';
import { describePersistenceConformance } from './conformance';
import { emptyAllTables } from './support';

describePersistenceConformance('libSQL (local file)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gproxy-conf-libsql-'));
  const target = parseDsn(`libsql+file:${join(dir, 'nested', 'gproxy.db')}`);
  if (target.kind !== 'libsql') throw new Error(`expected a libSQL target, got ${target.kind}`);
  const store = await openLibsqlStore({ target });
  return {
    store,
    reset: () => emptyAllTables(store.db),
    close: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
