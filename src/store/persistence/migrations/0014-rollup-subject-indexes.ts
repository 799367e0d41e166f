/**
 * Indexes for reading the hourly rollups by org, team and key since an hour (0009 indexed only
 * `user_id, hour`): quota counters rebuilt from the ledger (decision 0013) and the admin rollup
 * filters read one subject's recent hours, which otherwise scans every rollup of the window.
 */
import type { Kysely, Migration } from 'kysely';
import { isMysql } from './dialect';

const INDEXES = [
  ['usage_rollups_org_hour_idx', 'org_id'],
  ['usage_rollups_team_hour_idx', 'team_id'],
  ['usage_rollups_key_hour_idx', 'user_key_id'],
] as const;

export const migration0014RollupSubjectIndexes: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const [name, column] of INDEXES) {
      await db.schema.createIndex(name).on('usage_rollups').columns([column, 'hour']).execute();
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const [name] of INDEXES) {
      // MySQL names the table in DROP INDEX; the others refuse it.
      const drop = db.schema.dropIndex(name);
      await (isMysql(db) ? drop.on('usage_rollups') : drop).execute();
    }
  },
};
