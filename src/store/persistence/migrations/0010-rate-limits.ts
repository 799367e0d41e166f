/**
 * Rate limits (docs/tenancy.md): one row per named limit on an org, team, user or key. The subject
 * is an id without a foreign key (it points into one of four tables); the control-plane merge drops
 * limits whose subject is deleted. The limits themselves are JSON text (route glob and counts).
 */
import type { Kysely, Migration } from 'kysely';

export const migration0010RateLimits: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('rate_limits')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
      /** `org`, `team`, `user` or `key`. */
      .addColumn('subject_kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('subject_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('limits', 'text', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('rate_limits').execute();
  },
};
