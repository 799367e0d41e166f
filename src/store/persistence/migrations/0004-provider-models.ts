/**
 * The provider's model list: upstream model ids an operator added by hand or pulled live from the
 * provider (admin API). Scoped model listings and the console read it; a pull merges into it.
 * Portable column types only (see 0001), table-level foreign key for MySQL.
 */
import type { Kysely, Migration } from 'kysely';

export const migration0004ProviderModels: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('provider_models')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('provider_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('model', 'varchar(200)', (c) => c.notNull())
      .addColumn('display_name', 'varchar(200)')
      .addColumn('source', 'varchar(16)', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .addUniqueConstraint('provider_models_provider_model_unique', ['provider_id', 'model'])
      .addForeignKeyConstraint('provider_models_provider_fk', ['provider_id'], 'providers', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('provider_models').execute();
  },
};
