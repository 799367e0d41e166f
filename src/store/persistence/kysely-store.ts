/**
 * The control-plane store over any Kysely database. Only portable query shapes are used (plain
 * selects, inserts, updates and deletes by id), so the Postgres, MySQL and libSQL backends reuse
 * this class with their own dialect; the exceptions, the usage insert that ignores repeated
 * request ids and the upsert that adds to the hourly rollups, are the protected `insertUsageRows`
 * and `upsertRollupRows` hooks a backend overrides (MySQL).
 */
import type { Kysely, Transaction } from 'kysely';
import type { ControlPlaneData, UserKeyRecord, UserRecord } from '../../control-plane/model';
import type { AuditQuery, AuditRecord, Page, UsageQuery } from '../../control-plane/audit-record';
import type { ControlPlaneStore, PrunableRecords } from '../../control-plane/ports';
import type { RequestLogQuery, RequestLogRecord } from '../../control-plane/request-log';
import { identitySealer } from '../../control-plane/secret-envelope';
import type { SecretSealer } from '../../control-plane/secret-envelope';
import type { UsageRecord } from '../../control-plane/usage-record';
import { openCredentials, sealCredentials } from './credential-secrets';
import { insertAudit, pruneOlderThan, queryAudit, queryUsage } from './log-queries';
import { insertRequestLogs, queryRequestLogs } from './request-log-queries';
import {
  aliasFromRow,
  aliasToRow,
  instanceSettingFromRow,
  instanceSettingToRow,
  memberFromRow,
  memberToRow,
  priceRuleFromRow,
  priceRuleToRow,
  providerFromRow,
  providerModelFromRow,
  providerModelToRow,
  providerToRow,
  routeFromRow,
  routeToRow,
  usageToRow,
  userFromRow,
  userKeyFromRow,
  userKeyToRow,
  userToRow,
} from './rows';
import { orgFromRow, orgToRow, teamFromRow, teamToRow } from './tenancy-rows';
import type { Database, UsageRecordsTable, UsageRollupsTable } from './schema';
import { rateLimitFromRow, rateLimitToRow } from './rate-limit-rows';
import { quotaToRow, readQuotas } from './quota-rows';
import { readRuleSets, ruleSetToRow } from './rule-set-rows';
import {
  pruneRollupsBefore,
  queryUsageRollups,
  rollupKeys,
  sumRollups,
  upsertRollupsOnConflict,
} from './usage-rollups';
import type { UsageRollup, UsageRollupQuery } from '../../control-plane/usage-rollup';
import type { LedgerSpend, LedgerSpendQuery } from '../../control-plane/quotas/ledger-spend';
import { sumLedgerSpend } from './ledger-spend';

const PRUNABLE_TABLES = {
  usage: 'usage_records',
  audit: 'audit_records',
  'request-logs': 'request_logs',
} as const satisfies Record<Exclude<PrunableRecords, 'usage-rollups'>, keyof Database>;

type ControlTable = Exclude<
  keyof Database,
  'usage_records' | 'usage_rollups' | 'control_plane_meta' | 'audit_records' | 'request_logs'
>;
type Row = { id: string } & Record<string, unknown>;
/** A loosely typed view used only by the generic table sync; the typed rows come from ./rows. */
type LooseDb = Record<ControlTable, Row>;

/** Parents before children: inserts go in this order, deletes in the reverse. */
const TABLE_ORDER: readonly ControlTable[] = [
  'providers',
  'credentials',
  'provider_models',
  'routes',
  'route_members',
  'aliases',
  'orgs',
  'teams',
  'users',
  'user_keys',
  'instance_settings',
  'price_rules',
  'rate_limits',
  'quotas',
  'rule_sets',
];

/**
 * Unique keys per table; the last column of each is the text column a rename changes. Tables not
 * listed still sync; listing them lets renames that pass a name along (a->b while b->c, or a swap)
 * succeed in one save.
 */
const UNIQUE_KEYS: Partial<Record<ControlTable, readonly (readonly string[])[]>> = {
  providers: [['name']],
  credentials: [['provider_id', 'label']],
  provider_models: [['provider_id', 'model']],
  routes: [['name']],
  aliases: [['provider_id', 'name']],
  orgs: [['name']],
  teams: [['org_id', 'name']],
  users: [['name']],
  user_keys: [['user_id', 'label'], ['digest']],
  price_rules: [['name']],
  rate_limits: [['name']],
  quotas: [['name']],
  rule_sets: [['name']],
};

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
        providerModels: (
          await trx
            .selectFrom('provider_models')
            .selectAll()
            .orderBy('provider_id')
            .orderBy('model')
            .execute()
        ).map(providerModelFromRow),
        routes: (await trx.selectFrom('routes').selectAll().orderBy('name').execute()).map(routeFromRow),
        routeMembers: (
          await trx.selectFrom('route_members').selectAll().orderBy('route_id').orderBy('position').execute()
        ).map(memberFromRow),
        aliases: (
          await trx.selectFrom('aliases').selectAll().orderBy('position').orderBy('name').execute()
        ).map(aliasFromRow),
        orgs: (await trx.selectFrom('orgs').selectAll().orderBy('name').execute()).map(orgFromRow),
        teams: (await trx.selectFrom('teams').selectAll().orderBy('org_id').orderBy('name').execute()).map(
          teamFromRow,
        ),
        users: (await trx.selectFrom('users').selectAll().orderBy('name').execute()).map(userFromRow),
        instanceSettings: (await trx.selectFrom('instance_settings').selectAll().orderBy('id').execute()).map(
          instanceSettingFromRow,
        ),
        priceRules: (
          await trx.selectFrom('price_rules').selectAll().orderBy('position').orderBy('name').execute()
        ).map(priceRuleFromRow),
        rateLimits: (await trx.selectFrom('rate_limits').selectAll().orderBy('name').execute()).map(
          rateLimitFromRow,
        ),
        quotas: await readQuotas(trx),
        ruleSets: await readRuleSets(trx),
        userKeys: (
          await trx.selectFrom('user_keys').selectAll().orderBy('user_id').orderBy('label').execute()
        ).map(userKeyFromRow),
      }));
    // Decrypted after the read transaction, so it is not held open for the crypto.
    const providerNames = new Map(data.providers.map((p) => [p.id, p.name]));
    const credentials = await openCredentials(credentialRows, providerNames, this.sealer);
    return { ...data, credentials };
  }

  async saveControlPlane(next: ControlPlaneData): Promise<void> {
    const wanted: Record<ControlTable, Row[]> = {
      providers: next.providers.map(providerToRow),
      // Sealed below, once the stored rows are known (unchanged secrets keep their envelope).
      credentials: [],
      provider_models: next.providerModels.map(providerModelToRow),
      routes: next.routes.map(routeToRow),
      route_members: next.routeMembers.map(memberToRow),
      aliases: next.aliases.map(aliasToRow),
      orgs: next.orgs.map(orgToRow),
      teams: next.teams.map(teamToRow),
      users: next.users.map(userToRow),
      user_keys: next.userKeys.map(userKeyToRow),
      instance_settings: next.instanceSettings.map(instanceSettingToRow),
      price_rules: next.priceRules.map(priceRuleToRow),
      rate_limits: next.rateLimits.map(rateLimitToRow),
      quotas: next.quotas.map(quotaToRow),
      rule_sets: next.ruleSets.map(ruleSetToRow),
    };
    await this.db.transaction().execute(async (typed) => {
      // First, so concurrent saves queue on the version row's lock (Postgres, MySQL) and each one
      // reads the rows the previous one committed; SQLite and libSQL serialise writers anyway.
      await bumpVersion(typed);
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
        const updates: Row[] = [];
        for (const row of wanted[table]) {
          const before = current.get(row.id);
          if (before === undefined) inserts.push(row);
          else if (!sameRow(before, row)) updates.push(row);
        }
        await parkRenamedKeys(trx, table, updates, current);
        for (const { id, ...rest } of updates) {
          await trx.updateTable(table).set(rest).where('id', '=', id).execute();
        }
        const perRow = Object.keys(inserts[0] ?? { id: '' }).length;
        for (const batch of chunks(inserts, Math.max(1, Math.floor(MAX_PARAMS / perRow)))) {
          await trx.insertInto(table).values(batch).execute();
        }
      }
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
      await bumpVersion(trx); // first, as in saveControlPlane: one lock order for every writer
      await trx.insertInto('users').values(userToRow(user)).execute();
      if (keys.length > 0) await trx.insertInto('user_keys').values(keys.map(userKeyToRow)).execute();
    });
  }

  async insertUsage(records: UsageRecord[]): Promise<void> {
    const byId = new Map(records.map((record) => [record.requestId, usageToRow(record)]));
    if (byId.size === 0) return;
    const rows = [...byId.values()];
    const perBatch = Math.floor(MAX_PARAMS / Object.keys(rows[0] ?? {}).length);
    const keys = await rollupKeys(rows);
    await this.db.transaction().execute(async (trx) => {
      // Only rows this call inserted are rolled up, so a retried batch never counts a record twice.
      const inserted = new Set<string>();
      for (const batch of chunks(rows, perBatch))
        for (const id of await this.insertUsageRows(trx, batch)) inserted.add(id);
      const rollups = sumRollups(
        rows.filter((row) => inserted.has(row.request_id)),
        keys,
      );
      for (const batch of chunks(rollups, 50)) await this.upsertRollupRows(trx, batch);
    });
  }

  /**
   * Adds rollup rows to the stored sums (inserting the hours not stored yet). The second
   * dialect-specific query: ON CONFLICT DO UPDATE is SQLite and Postgres syntax; MySQL overrides.
   */
  protected upsertRollupRows(trx: Transaction<Database>, rows: UsageRollupsTable[]): Promise<void> {
    return upsertRollupsOnConflict(trx, rows);
  }

  queryUsageRollups(query: UsageRollupQuery): Promise<Page<UsageRollup>> {
    return queryUsageRollups(this.db, query);
  }

  sumLedgerSpend(query: LedgerSpendQuery): Promise<LedgerSpend[]> {
    return sumLedgerSpend(this.db, query);
  }

  /**
   * Inserts usage rows, leaving alone any whose request id is already stored, and resolves to the
   * request ids it inserted. Dialect-specific: ON CONFLICT DO NOTHING ... RETURNING is SQLite and
   * Postgres syntax (and exact under concurrent writers: a conflicting row is not returned); the
   * MySQL backend overrides this. `rows` never repeats a request id.
   */
  protected async insertUsageRows(trx: Transaction<Database>, rows: UsageRecordsTable[]): Promise<string[]> {
    const inserted = await trx
      .insertInto('usage_records')
      .values(rows)
      .onConflict((oc) => oc.column('request_id').doNothing())
      .returning('request_id')
      .execute();
    return inserted.map((row) => row.request_id);
  }

  insertAudit(record: AuditRecord): Promise<void> {
    return insertAudit(this.db, record);
  }

  queryAudit(query: AuditQuery): Promise<Page<AuditRecord>> {
    return queryAudit(this.db, query);
  }

  queryUsage(query: UsageQuery): Promise<Page<UsageRecord>> {
    return queryUsage(this.db, query);
  }

  insertRequestLogs(records: RequestLogRecord[]): Promise<void> {
    return insertRequestLogs(this.db, records);
  }

  queryRequestLogs(query: RequestLogQuery): Promise<Page<RequestLogRecord>> {
    return queryRequestLogs(this.db, query);
  }

  pruneRecords(kind: PrunableRecords, beforeIso: string): Promise<number> {
    if (kind === 'usage-rollups') return pruneRollupsBefore(this.db, beforeIso);
    return pruneOlderThan(this.db, PRUNABLE_TABLES[kind], beforeIso);
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

/**
 * When two or more updated rows of a table change a unique key, each first moves its key's text
 * column to a placeholder that no real value uses, so the updates that follow cannot trip over a
 * value another updated row still holds (a swap, or a name passed along).
 */
async function parkRenamedKeys(
  trx: Transaction<LooseDb>,
  table: ControlTable,
  updates: readonly Row[],
  current: ReadonlyMap<string, Row>,
): Promise<void> {
  const keys = UNIQUE_KEYS[table] ?? [];
  const parked: { id: string; columns: string[] }[] = [];
  for (const row of updates) {
    const before = current.get(row.id);
    const columns = keys
      .filter((key) => key.some((column) => asText(before?.[column]) !== asText(row[column])))
      .map((key) => key[key.length - 1])
      .filter((column): column is string => column !== undefined);
    if (columns.length > 0) parked.push({ id: row.id, columns });
  }
  if (parked.length < 2) return;
  for (const [index, { id, columns }] of parked.entries()) {
    const placeholder = Object.fromEntries(columns.map((column) => [column, `~renaming~${index}`]));
    await trx.updateTable(table).set(placeholder).where('id', '=', id).execute();
  }
}

async function bumpVersion(trx: Transaction<Database>): Promise<void> {
  await trx
    .updateTable('control_plane_meta')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('key', '=', 'version')
    .execute();
}
