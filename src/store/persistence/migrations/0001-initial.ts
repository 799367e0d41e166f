/**
 * The initial schema. Written with the schema builder and portable types only (varchar with
 * lengths, integer, text) so the same migration runs on SQLite, Postgres and MySQL. MySQL cannot
 * index text columns, hence varchar for everything that is unique or indexed; and it ignores inline
 * column REFERENCES, hence table-level foreign-key constraints.
 */
import type { Kysely, Migration } from 'kysely';

const ID = 'varchar(64)';
const NAME = 'varchar(200)';
const TIME = 'varchar(40)';

export const migration0001Initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('providers')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('name', NAME, (c) => c.notNull().unique())
      .addColumn('channel', 'varchar(64)', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('credentials')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('provider_id', ID, (c) => c.notNull())
      .addColumn('label', NAME, (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('weight', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addUniqueConstraint('credentials_provider_label_unique', ['provider_id', 'label'])
      .addForeignKeyConstraint('credentials_provider_fk', ['provider_id'], 'providers', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('routes')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('name', NAME, (c) => c.notNull().unique())
      .addColumn('strategy', 'varchar(32)', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('route_members')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('route_id', ID, (c) => c.notNull())
      .addColumn('provider_id', ID, (c) => c.notNull())
      .addColumn('model', NAME, (c) => c.notNull())
      .addColumn('tier', 'integer', (c) => c.notNull())
      .addColumn('weight', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addForeignKeyConstraint('route_members_route_fk', ['route_id'], 'routes', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .addForeignKeyConstraint('route_members_provider_fk', ['provider_id'], 'providers', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();
    await db.schema.createIndex('route_members_route_idx').on('route_members').column('route_id').execute();

    await db.schema
      .createTable('aliases')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('target', 'varchar(400)', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('users')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('name', NAME, (c) => c.notNull().unique())
      .addColumn('is_admin', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('created_at', TIME, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('user_keys')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('user_id', ID, (c) => c.notNull())
      .addColumn('label', NAME, (c) => c.notNull())
      .addColumn('digest', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('hint', 'varchar(64)', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('expires_at', TIME)
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addUniqueConstraint('user_keys_user_label_unique', ['user_id', 'label'])
      .addForeignKeyConstraint('user_keys_user_fk', ['user_id'], 'users', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('usage_records')
      .addColumn('request_id', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addColumn('user_id', ID)
      .addColumn('user_key_id', ID)
      .addColumn('operation', 'varchar(64)', (c) => c.notNull())
      .addColumn('client_wire', 'varchar(64)', (c) => c.notNull())
      .addColumn('upstream_wire', 'varchar(64)')
      .addColumn('requested_model', 'varchar(400)')
      .addColumn('route_name', NAME)
      .addColumn('provider_name', NAME)
      .addColumn('credential_label', NAME)
      .addColumn('upstream_model', 'varchar(400)')
      .addColumn('stream', 'integer', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('end_state', 'varchar(32)', (c) => c.notNull())
      .addColumn('error_code', 'varchar(64)')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('input_tokens', 'integer', (c) => c.notNull())
      .addColumn('output_tokens', 'integer', (c) => c.notNull())
      .addColumn('cached_input_tokens', 'integer', (c) => c.notNull())
      .addColumn('cache_creation_tokens', 'integer', (c) => c.notNull())
      .addColumn('reasoning_tokens', 'integer', (c) => c.notNull())
      .addColumn('usage_source', 'varchar(32)', (c) => c.notNull())
      .addColumn('latency_ms', 'integer', (c) => c.notNull())
      .addColumn('first_byte_ms', 'integer')
      .execute();
    // Usage is read by time window (dashboards) and per user (quotas, reports).
    await db.schema
      .createIndex('usage_records_created_at_idx')
      .on('usage_records')
      .column('created_at')
      .execute();
    await db.schema
      .createIndex('usage_records_user_created_idx')
      .on('usage_records')
      .columns(['user_id', 'created_at'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'usage_records',
      'user_keys',
      'users',
      'aliases',
      'route_members',
      'routes',
      'credentials',
      'providers',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
