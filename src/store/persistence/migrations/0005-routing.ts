/**
 * Routing: route affinity settings, and aliases that are exact or regex, global or scoped to one
 * provider. Portable types only (see 0001); new tables get the MySQL table options (./dialect.ts).
 *
 * Routes gain two nullable columns (null = no affinity), so existing routes behave as before.
 * Aliases were unique by name; now the same name may exist globally and per provider, so the
 * unique constraint moves to (provider_id, name). Constraint names differ per database and SQLite
 * cannot drop a constraint at all, so the table is rebuilt: a new table, the rows copied (all
 * exact and global), the old table dropped, the new one renamed. The old table stays until the
 * copy is complete, so a failure part-way (MySQL does not roll DDL back) loses nothing.
 */
import type { Kysely, Migration } from 'kysely';
import { tableOptions } from './dialect';

type AliasRow = Record<string, unknown>;
type LooseDb = Record<string, AliasRow>;

const COPY_BATCH = 100;

async function copyAliases(
  db: Kysely<unknown>,
  from: string,
  to: string,
  map: (row: AliasRow) => AliasRow | null,
): Promise<void> {
  const loose = db as unknown as Kysely<LooseDb>;
  const rows = (await loose.selectFrom(from).selectAll().execute())
    .map(map)
    .filter((row): row is AliasRow => row !== null);
  for (let i = 0; i < rows.length; i += COPY_BATCH) {
    await loose
      .insertInto(to)
      .values(rows.slice(i, i + COPY_BATCH))
      .execute();
  }
}

export const migration0005Routing: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('routes').addColumn('affinity_subject', 'varchar(32)').execute();
    await db.schema.alterTable('routes').addColumn('affinity_ttl_seconds', 'integer').execute();

    await db.schema
      .createTable('aliases_next')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('target', 'varchar(400)', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('provider_id', 'varchar(64)')
      .addUniqueConstraint('aliases_scope_name_unique', ['provider_id', 'name'])
      .addForeignKeyConstraint('aliases_provider_fk', ['provider_id'], 'providers', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .$call(tableOptions(db))
      .execute();
    await copyAliases(db, 'aliases', 'aliases_next', (row) => ({
      id: row['id'],
      name: row['name'],
      target: row['target'],
      position: row['position'],
      kind: 'exact',
      provider_id: null,
    }));
    await db.schema.dropTable('aliases').execute();
    await db.schema.alterTable('aliases_next').renameTo('aliases').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('aliases_prev')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('target', 'varchar(400)', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .$call(tableOptions(db))
      .execute();
    // The old shape knows only global exact aliases; the others cannot be kept.
    await copyAliases(db, 'aliases', 'aliases_prev', (row) =>
      row['kind'] === 'exact' && row['provider_id'] === null
        ? { id: row['id'], name: row['name'], target: row['target'], position: row['position'] }
        : null,
    );
    await db.schema.dropTable('aliases').execute();
    await db.schema.alterTable('aliases_prev').renameTo('aliases').execute();
    await db.schema.alterTable('routes').dropColumn('affinity_ttl_seconds').execute();
    await db.schema.alterTable('routes').dropColumn('affinity_subject').execute();
  },
};
