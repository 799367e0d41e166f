/**
 * The request log (control-plane/request-log.ts): one row per logged request, keyed by request id,
 * read newest first. Portable types only (see 0001); JSON columns are text.
 */
import type { Kysely, Migration } from 'kysely';

export const migration0007RequestLogs: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('request_logs')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(64)')
      .addColumn('operation', 'varchar(32)', (c) => c.notNull())
      .addColumn('client_wire', 'varchar(32)', (c) => c.notNull())
      .addColumn('model', 'varchar(400)')
      .addColumn('route_name', 'varchar(200)')
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('end_state', 'varchar(32)', (c) => c.notNull())
      .addColumn('error_code', 'varchar(64)')
      .addColumn('latency_ms', 'integer', (c) => c.notNull())
      .addColumn('route_header', 'varchar(1000)')
      .addColumn('attempts', 'text', (c) => c.notNull())
      .addColumn('warnings', 'text')
      .addColumn('request_headers', 'text')
      .addColumn('request_body', 'text')
      .execute();
    await db.schema.createIndex('request_logs_created_at').on('request_logs').column('created_at').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('request_logs').execute();
  },
};
