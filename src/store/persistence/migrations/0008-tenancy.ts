/**
 * Tenancy: orgs and their teams, users placed in an org and team, permission grants (JSON lists
 * of glob patterns) on orgs, teams, users and keys, and a sealed copy of each new user key for a
 * later reveal. Portable types only (see 0001); table-level foreign keys for MySQL, varchar for
 * every indexed column. The users' org and team columns get no foreign key (SQLite cannot add one
 * to an existing table); the control plane checks those references on every save instead.
 *
 * Permissions are deny-by-default from here on, so existing users are granted `["*"]`: an upgrade
 * must not lock out anyone who could call models before it.
 */
import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import { tableOptions } from './dialect';

export const migration0008Tenancy: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('orgs')
      .$call(tableOptions(db))
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('permissions', 'text')
      .addUniqueConstraint('orgs_name_unique', ['name'])
      .execute();
    await db.schema
      .createTable('teams')
      .$call(tableOptions(db))
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('org_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('permissions', 'text')
      .addUniqueConstraint('teams_org_name_unique', ['org_id', 'name'])
      .addForeignKeyConstraint('teams_org_fk', ['org_id'], 'orgs', ['id'], (fk) => fk.onDelete('cascade'))
      .execute();
    await db.schema.alterTable('users').addColumn('org_id', 'varchar(64)').execute();
    await db.schema.alterTable('users').addColumn('team_id', 'varchar(64)').execute();
    await db.schema.alterTable('users').addColumn('permissions', 'text').execute();
    await db.schema.alterTable('user_keys').addColumn('permissions', 'text').execute();
    await db.schema.alterTable('user_keys').addColumn('sealed_key', 'text').execute();
    await sql`update users set permissions = '["*"]'`.execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('user_keys').dropColumn('sealed_key').execute();
    await db.schema.alterTable('user_keys').dropColumn('permissions').execute();
    await db.schema.alterTable('users').dropColumn('permissions').execute();
    await db.schema.alterTable('users').dropColumn('team_id').execute();
    await db.schema.alterTable('users').dropColumn('org_id').execute();
    await db.schema.dropTable('teams').execute();
    await db.schema.dropTable('orgs').execute();
  },
};
