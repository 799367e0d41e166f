/**
 * Rule sets (docs/rule-sets.md): one row per named rule set, its rules as JSON text in their
 * validated bundle shape. Providers attach rule sets by name in their settings JSON, so no other
 * table changes.
 */
import type { Kysely, Migration } from 'kysely';
import { largeText } from './dialect';

export const migration0012RuleSets: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('rule_sets')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
      .addColumn('description', 'text')
      // Up to 1 MB of JSON (rule-set-entry.ts): MySQL's `text` holds only 64 KB.
      .addColumn('rules', largeText(db), (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('rule_sets').execute();
  },
};
