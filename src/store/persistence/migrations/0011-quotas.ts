/**
 * Quotas (docs/tenancy.md, "Quotas"): one row per named USD quota on an org, team, user or key,
 * shaped like `rate_limits` (0010): the subject is an id without a foreign key (the control-plane
 * merge drops quotas whose subject is deleted), the route glob and budgets are JSON text.
 */
import type { Kysely, Migration } from 'kysely';

export const migration0011Quotas: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('quotas')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
      /** `org`, `team`, `user` or `key`. */
      .addColumn('subject_kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('subject_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('budgets', 'text', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('quotas').execute();
  },
};
