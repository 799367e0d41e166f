/**
 * A version stamp for the control plane: every save bumps it in the same transaction, so a running
 * instance can poll one cheap row to learn that it must rebuild its snapshot.
 */
import type { Kysely, Migration } from 'kysely';

export const migration0002ControlPlaneVersion: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('control_plane_meta')
      .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('value', 'bigint', (c) => c.notNull())
      .execute();
    await (db as Kysely<{ control_plane_meta: { key: string; value: number } }>)
      .insertInto('control_plane_meta')
      .values({ key: 'version', value: 1 })
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('control_plane_meta').execute();
  },
};
