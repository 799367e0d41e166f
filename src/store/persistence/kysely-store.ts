/**
 * The control-plane store over any Kysely database. Only portable query shapes are used (plain
 * selects, inserts, updates and deletes by id), so the Postgres and MySQL backends reuse this
 * class with their own dialect; the one exception is marked where usage rows are inserted.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ControlPlaneData, UserKeyRecord, UserRecord } from '../../control-plane/model';
import type { ControlPlaneStore } from '../../control-plane/ports';
import { identitySealer } from '../../control-plane/secret-envelope';
import type { SecretSealer } from '../../control-plane/secret-envelope';
import type { UsageRecord } from '../../control-plane/usage-record';
import { openCredentials, sealCredentials } from './credential-secrets';
import {
  aliasFromRow,
  aliasToRow,
  memberFromRow,
  memberToRow,
  providerFromRow,
  providerToRow,
  routeFromRow,
  routeToRow,
  usageToRow,
  userFromRow,
  userKeyFromRow,
  userKeyToRow,
  userToRow,
} from './rows';
import type { Database } from './schema';

type ControlTable = Exclude<keyof Database, 'usage_records' | 'control_plane_meta'>;
type Row = { id: string } & Record<string, unknown>;
/** A loosely typed view used only by the generic table sync; the typed rows come from ./rows. */
type LooseDb = Record<ControlTable, Row>;

/** Parents before children: inserts go in this order, deletes in the reverse. */
const TABLE_ORDER: readonly ControlTable[] = [
  'providers',
  'credentials',
  'routes',
  'route_members',
  'aliases',
  'users',
  'user_keys',
];

// Stay far below the smallest bound-parameter limit of the supported databases (SQLite builds
// compiled with the old default allow 999).
const MAX_PARAMS = 900;

export interface KyselyStoreOptions {
  /**
   * Seals credential secrets on save and opens them on load (default: plaintext JSON). Loaded
   * data holds plaintext secrets in memory; only the stored rows are sealed.
   */
  sealer?: SecretSealer;
}

export class KyselyControlPlaneStore implements ControlPlaneStore {
  private readonly sealer: SecretSealer;

  constructor(
    readonly db: Kysely<Database>,
    options: KyselyStoreOptions = {},
  ) {
    this.sealer = options.sealer ?? identitySealer;
  }

  async loadControlPlane(): Promise<ControlPlaneData> {
    // Repeatable read gives Postgres/MySQL one consistent view; SQLite transactions already do.
    const { credentialRows, ...data } = await this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => ({
        providers: (await trx.selectFrom('providers').selectAll().orderBy('name').execute()).map(
          providerFromRow,
        ),
        credentialRows: await trx
          .selectFrom('credentials')
          .selectAll()
          .orderBy('provider_id')
          .orderBy('label')
          .execute(),
        routes: (await trx.selectFrom('routes').selectAll().orderBy('name').execute()).map(routeFromRow),
        routeMembers: (
          await trx.selectFrom('route_members').selectAll().orderBy('route_id').orderBy('position').execute()
        ).map(memberFromRow),
        aliases: (
          await trx.selectFrom('aliases').selectAll().orderBy('position').orderBy('name').execute()
        ).map(aliasFromRow),
        users: (await trx.selectFrom('users').selectAll().orderBy('name').execute()).map(userFromRow),
        userKeys: (
          await trx.selectFrom('user_keys').selectAll().orderBy('user_id').orderBy('label').execute()
        ).map(userKeyFromRow),
      }));
    // Decrypted after the read transaction, so it is not held open for the crypto.
    const providerNames = new Map(data.providers.map((p) => [p.id, p.name]));
    const credentials = await openCredentials(credentialRows, providerNames, this.sealer);
    return {
      providers: data.providers,
      credentials,
      routes: data.routes,
      routeMembers: data.routeMembers,
      aliases: data.aliases,
      users: data.users,
      userKeys: data.userKeys,
    };
  }

  async saveControlPlane(next: ControlPlaneData): Promise<void> {
    const wanted: Record<ControlTable, Row[]> = {
      providers: next.providers.map(providerToRow),
      // Sealed below, once the stored rows are known (unchanged secrets keep their envelope).
      credentials: [],
      routes: next.routes.map(routeToRow),
      route_members: next.routeMembers.map(memberToRow),
      aliases: next.aliases.map(aliasToRow),
      users: next.users.map(userToRow),
      user_keys: next.userKeys.map(userKeyToRow),
    };
    await this.db.transaction().execute(async (typed) => {
      const trx = typed as unknown as Transaction<LooseDb>;
      const existing = new Map<ControlTable, Map<string, Row>>();
      for (const table of TABLE_ORDER) {
        const rows = (await trx.selectFrom(table).selectAll().execute()) as Row[];
        existing.set(table, new Map(rows.map((row) => [row.id, row])));
      }
      const storedSecrets = new Map(
        [...(existing.get('credentials')?.values() ?? [])].map((row) => [row.id, row.secret]),
      );
      wanted.credentials = await sealCredentials(next.credentials, storedSecrets, this.sealer);
      // Deletes first (children before parents) so a name freed by a deleted row can be reused
      // by a new row in the same save without tripping a unique constraint.
      for (const table of [...TABLE_ORDER].reverse()) {
        const keep = new Set(wanted[table].map((row) => row.id));
        const gone = [...(existing.get(table)?.keys() ?? [])].filter((id) => !keep.has(id));
        for (const ids of chunks(gone, MAX_PARAMS)) {
          await trx.deleteFrom(table).where('id', 'in', ids).execute();
        }
      }
      for (const table of TABLE_ORDER) {
        const current = existing.get(table) ?? new Map<string, Row>();
        const inserts: Row[] = [];
        for (const row of wanted[table]) {
          const before = current.get(row.id);
          if (before === undefined) inserts.push(row);
          else if (!sameRow(before, row)) {
            const { id, ...rest } = row;
            await trx.updateTable(table).set(rest).where('id', '=', id).execute();
          }
        }
        const perRow = Object.keys(inserts[0] ?? { id: '' }).length;
        for (const batch of chunks(inserts, Math.max(1, Math.floor(MAX_PARAMS / perRow)))) {
          await trx.insertInto(table).values(batch).execute();
        }
      }
      await bumpVersion(typed);
    });
  }

  async readControlPlaneVersion(): Promise<number> {
    const row = await this.db
      .selectFrom('control_plane_meta')
      .select('value')
      .where('key', '=', 'version')
      .executeTakeFirst();
    return Number(row?.value ?? 0);
  }

  async countUsers(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async createUser(user: UserRecord, keys: UserKeyRecord[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('users').values(userToRow(user)).execute();
      if (keys.length > 0) await trx.insertInto('user_keys').values(keys.map(userKeyToRow)).execute();
      await bumpVersion(trx);
    });
  }

  async insertUsage(records: UsageRecord[]): Promise<void> {
    const byId = new Map(records.map((record) => [record.requestId, usageToRow(record)]));
    if (byId.size === 0) return;
    const rows = [...byId.values()];
    const perBatch = Math.floor(MAX_PARAMS / Object.keys(rows[0] ?? {}).length);
    await this.db.transaction().execute(async (trx) => {
      for (const batch of chunks(rows, perBatch)) {
        // ON CONFLICT DO NOTHING is SQLite and Postgres syntax; the MySQL backend will need
        // `.ignore()` here instead (INSERT IGNORE), which is the only dialect-specific query.
        await trx
          .insertInto('usage_records')
          .values(batch)
          .onConflict((oc) => oc.column('request_id').doNothing())
          .execute();
      }
    });
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Drivers differ in how they return integers (number, string, bigint), so compare as text. */
function sameRow(before: Row, after: Row): boolean {
  return Object.keys(after).every((key) => asText(before[key]) === asText(after[key]));
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value) ?? null;
}

async function bumpVersion(trx: Transaction<Database>): Promise<void> {
  await trx
    .updateTable('control_plane_meta')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('key', '=', 'version')
    .execute();
}
