/**
 * The SQLite control-plane store: the portable Kysely store, except that usage rows go in through
 * one cached better-sqlite3 statement, run once per row inside a transaction. Kysely compiles and
 * prepares a fresh 500-row INSERT for every batch, which held the event loop ~8 ms per flush; the
 * cached statement needs a fraction of that (decision 0007). The hourly rollups of the rows it
 * inserted are added in the same transaction, by one cached upsert statement.
 */
import type { Database as SqliteDatabase, Statement, Transaction } from 'better-sqlite3';
import type { UsageRecord } from '../../../control-plane/usage-record';
import { KyselyControlPlaneStore } from '../kysely-store';
import { usageToRow } from '../rows';
import type { UsageRecordsTable } from '../schema';
import { ROLLUP_DIMENSIONS, ROLLUP_SUMS, rollupKeys, sumRollups, type RollupKey } from '../usage-rollups';

type Row = Record<string, unknown>;

interface UsageInsert {
  /** The column list the statement was prepared for. */
  columns: string;
  insertAll: Transaction<(rows: readonly Row[], keys: ReadonlyMap<string, RollupKey>) => void>;
}

export class SqliteControlPlaneStore extends KyselyControlPlaneStore {
  private usageInsert: UsageInsert | null = null;
  private upsertStatement: Statement<[Row]> | null = null;

  constructor(
    private readonly sqlite: SqliteDatabase,
    ...kysely: ConstructorParameters<typeof KyselyControlPlaneStore>
  ) {
    super(...kysely);
  }

  override async insertUsage(records: UsageRecord[]): Promise<void> {
    // As in the portable store: one row per request id (the last record wins), and ids already
    // stored are left alone, so a retried batch that partly succeeded adds nothing twice.
    const byId = new Map<string, Row>();
    for (const record of records) byId.set(record.requestId, usageToRow(record));
    if (byId.size === 0) return;
    const rows = [...byId.values()];
    const keys = await rollupKeys(rows as UsageRecordsTable[]);
    // Holding Kysely's one connection keeps these writes out of any transaction Kysely has open
    // (better-sqlite3 would otherwise nest them in it as a savepoint).
    await this.db.connection().execute(() => {
      this.usageInsertFor(rows[0] as Row).insertAll(rows, keys);
      return Promise.resolve();
    });
  }

  /** Upsert-add of one rollup row (ON CONFLICT DO UPDATE), prepared once. */
  private rollupUpsert(): Statement<[Row]> {
    if (this.upsertStatement === null) {
      const columns = ['id', ...ROLLUP_DIMENSIONS, ...ROLLUP_SUMS];
      this.upsertStatement = this.sqlite.prepare(
        `INSERT INTO usage_rollups (${columns.map((name) => `"${name}"`).join(', ')}) ` +
          `VALUES (${columns.map((name) => `@${name}`).join(', ')}) ON CONFLICT (id) DO UPDATE SET ` +
          ROLLUP_SUMS.map((name) => `"${name}" = "${name}" + excluded."${name}"`).join(', '),
      );
    }
    return this.upsertStatement;
  }

  private usageInsertFor(sample: Row): UsageInsert {
    const names = Object.keys(sample);
    const columns = names.join(',');
    if (this.usageInsert?.columns === columns) return this.usageInsert;
    const statement: Statement<[Row]> = this.sqlite.prepare(
      `INSERT INTO usage_records (${names.map((name) => `"${name}"`).join(', ')}) ` +
        `VALUES (${names.map((name) => `@${name}`).join(', ')}) ON CONFLICT (request_id) DO NOTHING`,
    );
    const insertAll = this.sqlite.transaction(
      (rows: readonly Row[], keys: ReadonlyMap<string, RollupKey>) => {
        // Only rows inserted now (one change) are rolled up: a retried batch adds nothing twice.
        const fresh = rows.filter((row) => statement.run(row).changes === 1) as UsageRecordsTable[];
        const upsert = this.rollupUpsert();
        for (const rollup of sumRollups(fresh, keys)) upsert.run(rollup);
      },
    );
    this.usageInsert = { columns, insertAll };
    return this.usageInsert;
  }
}
