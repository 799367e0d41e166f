/**
 * Gives a fresh MySQL/MariaDB database the character set and collation gproxy's tables need, before
 * the first migration creates them (every table takes the database default, see
 * migrations/dialect.ts):
 *
 * - utf8mb4, so all of Unicode fits (MySQL's `utf8` and `latin1` cannot store emoji);
 * - utf8mb4_bin, so unique names compare byte for byte as on SQLite and Postgres ("Fast" and
 *   "fast" are two aliases, not a duplicate) and sort by code point.
 *
 * Only a database without any table is changed; an existing one keeps what its tables have.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

const COLLATION = 'utf8mb4_bin';

export async function prepareMysqlDatabase(db: Kysely<unknown>): Promise<void> {
  const schema = await sql<{ name: string | null; charset: string; collation: string }>`
    select schema_name as name, default_character_set_name as charset, default_collation_name as collation
    from information_schema.schemata where schema_name = database()`.execute(db);
  const current = schema.rows[0];
  if (current === undefined || current.name === null) throw new Error('The MySQL DSN must name a database');
  if (current.collation.toLowerCase() === COLLATION) return;
  const tables = await sql<{ n: number | string }>`
    select count(*) as n from information_schema.tables where table_schema = database()`.execute(db);
  if (Number(tables.rows[0]?.n ?? 0) > 0) return;
  try {
    await sql`alter database character set utf8mb4 collate utf8mb4_bin`.execute(db);
  } catch (error) {
    // Without the ALTER privilege a utf8mb4 database still works (names then compare
    // case-insensitively); any other character set would reject or mangle text.
    if (current.charset.toLowerCase() === 'utf8mb4') return;
    throw new Error(
      `MySQL database "${current.name}" uses character set ${current.charset}; gproxy needs utf8mb4. ` +
        `Run ALTER DATABASE \`${current.name}\` CHARACTER SET utf8mb4 COLLATE ${COLLATION} before the first start`,
      { cause: error },
    );
  }
}
