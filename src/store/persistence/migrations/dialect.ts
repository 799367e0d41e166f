/**
 * The few places where one migration must speak a backend's own dialect. Everything else in the
 * migrations is portable schema-builder code; keep it that way and add a helper here instead of
 * testing the dialect inline.
 */
import { MysqlAdapter, sql } from 'kysely';
import type { CreateTableBuilder, Kysely, RawBuilder } from 'kysely';

/** MySQL and MariaDB (both run through Kysely's MysqlAdapter). */
export function isMysql(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter;
}

/** A text column for captured bodies (up to about 1 MB): MySQL's `text` holds only 64 KB. */
export function largeText(db: Kysely<unknown>): RawBuilder<unknown> {
  return isMysql(db) ? sql`mediumtext` : sql`text`;
}

/**
 * The hook for per-table options (`.$call(tableOptions(db))` on a createTable); today it adds
 * nothing on any backend, on purpose. On MySQL every table takes the database's default character
 * set and collation, which the MySQL backend makes utf8mb4 / utf8mb4_bin on a fresh database
 * (mysql/prepare-database.ts). Naming a collation per table would break foreign keys whenever a
 * table without it (or a database left at another default) meets one with it: MySQL requires both
 * columns of a foreign key to share their collation.
 */
export function tableOptions(
  _db: Kysely<unknown>,
): <TB extends string, C extends string>(builder: CreateTableBuilder<TB, C>) => CreateTableBuilder<TB, C> {
  return (builder) => builder;
}
