/**
 * Per-credential settings (proxy, TLS profile) and RPM/TPM budgets. Existing credentials get `{}`
 * and no budget (null = unlimited), so they behave exactly as before.
 *
 * One ALTER per column: SQLite accepts only one column per ALTER TABLE. A NOT NULL column added
 * to a table with rows needs a constant default on SQLite and Postgres. MySQL before 8.0.13
 * rejects a literal default on a TEXT column; when a MySQL backend arrives it needs its own branch
 * here (an expression default `('{}')`), which SQLite in turn does not allow in ADD COLUMN.
 */
import type { Kysely, Migration } from 'kysely';

export const migration0003CredentialSettings: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('credentials')
      .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
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
