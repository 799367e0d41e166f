/**
 * Throwaway databases on the PostgreSQL and MariaDB servers the suites run against: created fresh
 * for each run (so migrations start from empty), dropped afterwards. Servers default to the CI
 * machine's (127.0.0.1, trust/no-password root); override with GPROXY_TEST_POSTGRES_URL and
 * GPROXY_TEST_MYSQL_URL (an admin DSN whose database is used only to connect).
 */
import pg from 'pg';
import { createConnection } from 'mysql2/promise';
import { parseDsn } from '../../../src/store/persistence/parse-dsn';
import type { MysqlTarget, PostgresTarget } from '../../../src/store/persistence/parse-dsn';
import type { KyselyControlPlaneStore } from '../../../src/store/persistence/kysely-store';
import type { ConformanceBackend } from './conformance';
import { emptyAllTables, throwawayName } from './support';

export const POSTGRES_ADMIN_URL =
  process.env['GPROXY_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_ADMIN_URL = process.env['GPROXY_TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';

export interface Throwaway<T> {
  target: T;
  drop: () => Promise<void>;
}

export function postgresAdmin(): PostgresTarget {
  const target = parseDsn(POSTGRES_ADMIN_URL);
  if (target.kind !== 'postgres') throw new Error('GPROXY_TEST_POSTGRES_URL must be a postgres:// DSN');
  return target;
}

export function mysqlAdmin(): MysqlTarget {
  const target = parseDsn(MYSQL_ADMIN_URL);
  if (target.kind !== 'mysql') throw new Error('GPROXY_TEST_MYSQL_URL must be a mysql:// or mariadb:// DSN');
  return target;
}

export async function throwawayPostgres(): Promise<Throwaway<PostgresTarget>> {
  const admin = postgresAdmin();
  const name = throwawayName();
  const run = async (statement: string) => {
    const { user, password, database, port } = admin;
    const client = new pg.Client({ host: admin.socketDir ?? admin.host, port, user, password, database });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  return {
    target: { ...admin, database: name },
    drop: () => run(`drop database if exists ${name} with (force)`),
  };
}

export async function throwawayMysql(): Promise<Throwaway<MysqlTarget>> {
  const admin = mysqlAdmin();
  const name = throwawayName();
  const run = async (statement: string) => {
    const { host, port, user, password, database } = admin;
    const connection = await createConnection({ host, port, user, password, database });
    try {
      await connection.query(statement);
    } finally {
      await connection.end();
    }
  };
  // The server's default character set and collation on purpose: the backend must make the fresh
  // database utf8mb4 with binary comparison itself.
  await run(`create database ${name}`);
  return {
    target: { ...admin, database: name },
    drop: () => run(`drop database if exists ${name}`),
  };
}

/** Opens a store on a throwaway database; closing it drops the database. */
export async function backendInThrowaway<T>(
  create: () => Promise<Throwaway<T>>,
  open: (target: T) => Promise<KyselyControlPlaneStore>,
): Promise<ConformanceBackend> {
  const database = await create();
  try {
    const store = await open(database.target);
    return {
      store,
      reset: () => emptyAllTables(store.db),
      close: async () => {
        await store.close();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}
