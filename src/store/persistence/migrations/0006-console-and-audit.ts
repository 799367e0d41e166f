/**
 * Console passwords (argon2id PHC strings; null = no console login), the audit trail of admin
 * mutations and console sign-ins, and instance settings (one row per setting, JSON value).
 * Portable types only (see 0001); the audit table is append-only and read newest first, hence the
 * index on its time.
 */
import type { Kysely, Migration } from 'kysely';

export const migration0006ConsoleAndAudit: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('users').addColumn('password_hash', 'varchar(255)').execute();
    await db.schema
      .createTable('audit_records')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('actor', 'varchar(200)')
      .addColumn('action', 'varchar(200)', (c) => c.notNull())
      .addColumn('target', 'varchar(400)', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('source_address', 'varchar(64)')
      .execute();
    await db.schema
      .createIndex('audit_records_created_at')
      .on('audit_records')
      .column('created_at')
      .execute();
    await db.schema
      .createTable('instance_settings')
      .addColumn('id', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('instance_settings').execute();
    await db.schema.dropTable('audit_records').execute();
    await db.schema.alterTable('users').dropColumn('password_hash').execute();
  },
};
