/**
 * openStore picks the backend from the DSN, and every backend's close() releases its pool: no
 * socket or file handle outlives it. Server backends run when their server is reachable (always
 * with CI=true, where a server that is down fails the test).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MysqlAdapter, PostgresAdapter, SqliteAdapter } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlPlaneStore } from '../../src/control-plane/ports';
import { openStore } from '../../src/runtime/node/open-store';
import { KyselyControlPlaneStore } from '../../src/store/persistence/kysely-store';
import { MysqlControlPlaneStore } from '../../src/store/persistence/mysql/mysql-store';
import { SqliteControlPlaneStore } from '../../src/store/persistence/sqlite/sqlite-store';
import { mysqlAdmin, postgresAdmin, throwawayMysql, throwawayPostgres } from './conformance/servers';
import { serverSkipReason } from './conformance/support';

const pgAdmin = postgresAdmin();
const myAdmin = mysqlAdmin();
const pgSkip = await serverSkipReason('PostgreSQL', pgAdmin.host || '127.0.0.1', pgAdmin.port);
const mySkip = await serverSkipReason('MariaDB', myAdmin.host, myAdmin.port);

const sockets = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;

function adapterOf(store: ControlPlaneStore): unknown {
  if (!(store instanceof KyselyControlPlaneStore)) throw new Error('not a Kysely store');
  return store.db.getExecutor().adapter;
}

/** Opens, reads once, closes; the store must have released every socket it opened. */
async function roundTrip(dsn: string): Promise<ControlPlaneStore> {
  const before = sockets();
  const store = await openStore(dsn);
  expect(await store.countUsers()).toBe(0);
  await store.close();
  await expectSocketsBackTo(before);
  return store;
}

/** Closed sockets leave the handle list a few event-loop turns later, later still under load. */
async function expectSocketsBackTo(before: number): Promise<void> {
  for (let waited = 0; sockets() > before && waited < 2000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(sockets()).toBeLessThanOrEqual(before);
}

const dsnOf = (
  scheme: string,
  t: { user?: string | undefined; password?: string | undefined; host: string; port: number },
  db: string,
) =>
  `${scheme}://${encodeURIComponent(t.user ?? '')}${t.password ? `:${encodeURIComponent(t.password)}` : ''}@${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}/${db}`;

describe('openStore', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gproxy-open-store-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens SQLite (better-sqlite3) for sqlite:, file: and bare paths', async () => {
    const store = await roundTrip(`sqlite://${join(dir, 'a', 'gproxy.db')}`);
    expect(store).toBeInstanceOf(SqliteControlPlaneStore);
  });

  it('opens libSQL for libsql+file:, creating the directory', async () => {
    const store = await roundTrip(`libsql+file:${join(dir, 'b', 'gproxy.db')}`);
    expect(store).not.toBeInstanceOf(SqliteControlPlaneStore);
    expect(adapterOf(store)).toBeInstanceOf(SqliteAdapter);
  });

  it.skipIf(pgSkip !== undefined)('opens PostgreSQL for postgres:// and postgresql://', async () => {
    const database = await throwawayPostgres();
    try {
      for (const scheme of ['postgres', 'postgresql']) {
        const store = await roundTrip(dsnOf(scheme, database.target, database.target.database));
        expect(adapterOf(store)).toBeInstanceOf(PostgresAdapter);
      }
    } finally {
      await database.drop();
    }
  });

  it.skipIf(mySkip !== undefined)('opens MySQL/MariaDB for mysql:// and mariadb://', async () => {
    const database = await throwawayMysql();
    try {
      for (const scheme of ['mysql', 'mariadb']) {
        const store = await roundTrip(dsnOf(scheme, database.target, database.target.database));
        expect(store).toBeInstanceOf(MysqlControlPlaneStore);
        expect(adapterOf(store)).toBeInstanceOf(MysqlAdapter);
      }
    } finally {
      await database.drop();
    }
  });

  it('fails fast with the driver error when a server refuses, and leaves no socket open', async () => {
    const before = sockets();
    await expect(openStore('postgres://gp@127.0.0.1:1/gproxy')).rejects.toThrow(/ECONNREFUSED|connect/);
    await expect(openStore('mysql://gp@127.0.0.1:1/gproxy')).rejects.toThrow(/ECONNREFUSED|connect/);
    await expectSocketsBackTo(before);
  });
});
