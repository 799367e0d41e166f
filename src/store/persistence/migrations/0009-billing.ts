/**
 * Billing: operator price rules (control-plane records), cost columns on the usage ledger, and
 * hourly usage rollups. Portable types only (see 0001). Money is an integer number of pico-USD in a
 * `bigint` column (exact, and summable in SQL: the rollup upsert adds it); the store binds and reads
 * it as text so no driver rounds it through a double.
 *
 * A rollup row's key is a digest of its dimensions (`id`), not a unique index over them: unique
 * indexes treat NULLs as distinct on every backend (so an upsert would never meet a row whose org
 * is null), and MySQL cannot index that many long varchars together.
 */
import type { Kysely, Migration } from 'kysely';

export const migration0009Billing: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('price_rules')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
      .addColumn('position', 'integer', (c) => c.notNull())
      /** The rule in its bundle shape (without the name), JSON text. */
      .addColumn('rule', 'text', (c) => c.notNull())
      .execute();

    for (const [column, type] of [
      ['cost_pico_usd', 'bigint'],
      ['priced', 'integer'],
      ['price_rule', 'varchar(200)'],
      ['cache_creation_1h_tokens', 'integer'],
      ['org_id', 'varchar(64)'],
      ['team_id', 'varchar(64)'],
    ] as const) {
      await db.schema.alterTable('usage_records').addColumn(column, type).execute();
    }

    await db.schema
      .createTable('usage_rollups')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      /** Start of the hour, ISO-8601 UTC (`2026-11-25T07:00:00.000Z`). */
      .addColumn('hour', 'varchar(40)', (c) => c.notNull())
      .addColumn('org_id', 'varchar(64)')
      .addColumn('team_id', 'varchar(64)')
      .addColumn('user_id', 'varchar(64)')
      .addColumn('user_key_id', 'varchar(64)')
      .addColumn('route_name', 'varchar(200)')
      .addColumn('provider_name', 'varchar(200)')
      .addColumn('upstream_model', 'varchar(400)')
      .addColumn('requests', 'bigint', (c) => c.notNull())
      .addColumn('errors', 'bigint', (c) => c.notNull())
      .addColumn('input_tokens', 'bigint', (c) => c.notNull())
      .addColumn('output_tokens', 'bigint', (c) => c.notNull())
      .addColumn('cached_input_tokens', 'bigint', (c) => c.notNull())
      .addColumn('cache_creation_tokens', 'bigint', (c) => c.notNull())
      .addColumn('reasoning_tokens', 'bigint', (c) => c.notNull())
      .addColumn('cost_pico_usd', 'bigint', (c) => c.notNull())
      .addColumn('unpriced_requests', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('usage_rollups_hour_idx').on('usage_rollups').column('hour').execute();
    await db.schema
      .createIndex('usage_rollups_user_hour_idx')
      .on('usage_rollups')
      .columns(['user_id', 'hour'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('usage_rollups').execute();
    for (const column of [
      'team_id',
      'org_id',
      'cache_creation_1h_tokens',
      'price_rule',
      'priced',
      'cost_pico_usd',
    ]) {
      await db.schema.alterTable('usage_records').dropColumn(column).execute();
    }
    await db.schema.dropTable('price_rules').execute();
  },
};
