/**
 * Rule sets (docs/rule-sets.md): one row per named rule set, its rules as JSON text in their
 * validated bundle shape. Providers attach rule sets by name in their settings JSON, so no other
 * table changes.
 */
import type { Kysely, Migration } from 'kysely';

export const migration0012RuleSets: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('rule_sets')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
      .addColumn('description', 'text')
      .addColumn('rules', 'text', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('rule_sets').execute();
  },
};
