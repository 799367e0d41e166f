/**
 * Per-credential settings (proxy, TLS profile) and RPM/TPM budgets. Existing credentials get `{}`
 * and no budget (null = unlimited), so they behave exactly as before.
 *
 * One ALTER per column: SQLite accepts only one column per ALTER TABLE. A NOT NULL column added
 * to a table with rows needs a constant default on SQLite and Postgres. MySQL rejects a literal
 * default on a TEXT column and needs an expression default `('{}')` (MySQL >= 8.0.13, MariaDB >=
 * 10.2), which SQLite in turn does not allow in ADD COLUMN; hence the one MySQL branch.
 */
import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import { isMysql } from './dialect';

export const migration0003CredentialSettings: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('credentials')
      .addColumn('settings', 'text', (c) => c.notNull().defaultTo(isMysql(db) ? sql`('{}')` : '{}'))
      .execute();
    await db.schema.alterTable('credentials').addColumn('rpm', 'integer').execute();
    await db.schema.alterTable('credentials').addColumn('tpm', 'integer').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const column of ['tpm', 'rpm', 'settings']) {
      await db.schema.alterTable('credentials').dropColumn(column).execute();
    }
  },
};
