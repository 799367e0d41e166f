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
import {
  chunks,
  MAX_PARAMS,
  syncTables,
  TABLE_ORDER,
  type ControlTable,
  type LooseDb,
  type Row,
} from './table-sync';

const PRUNABLE_TABLES = {
  usage: 'usage_records',
  audit: 'audit_records',
  'request-logs': 'request_logs',
} as const satisfies Record<Exclude<PrunableRecords, 'usage-rollups'>, keyof Database>;

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
      await syncTables(trx, wanted, existing);
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

async function bumpVersion(trx: Transaction<Database>): Promise<void> {
  await trx
    .updateTable('control_plane_meta')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('key', '=', 'version')
    .execute();
}
