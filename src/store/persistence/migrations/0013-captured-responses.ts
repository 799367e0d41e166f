/**
 * Captured responses on the request log (control-plane/request-log.ts, instance setting
 * `capture_responses`): the answer the client received and the upstream's own error body. Bodies
 * are kept up to `capture_max_bytes` (at most 1 MB), which MySQL's `text` (64 KB) cannot hold: there
 * they are `mediumtext`, and so is the request body captured since 0007.
 */
import type { Kysely, Migration } from 'kysely';
import { isMysql, largeText } from './dialect';

export const migration0013CapturedResponses: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const [column, type] of [
      ['response_status', 'integer'],
      /** JSON text. */
      ['response_headers', 'text'],
      ['response_body', largeText(db)],
      ['response_body_bytes', 'integer'],
      /** 0 or 1. */
      ['response_truncated', 'integer'],
      ['upstream_error_body', largeText(db)],
    ] as const) {
      await db.schema.alterTable('request_logs').addColumn(column, type).execute();
    }
    if (isMysql(db))
      await db.schema.alterTable('request_logs').modifyColumn('request_body', largeText(db)).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const column of [
      'response_status',
      'response_headers',
      'response_body',
      'response_body_bytes',
      'response_truncated',
      'upstream_error_body',
    ]) {
      await db.schema.alterTable('request_logs').dropColumn(column).execute();
    }
  },
};
