/**
 * The MySQL/MariaDB control-plane store: the portable Kysely store with MySQL's way of skipping a
 * usage row whose request id is already stored, and of adding to the hourly usage rollups.
 */
import { sql, type Transaction } from 'kysely';
import { KyselyControlPlaneStore } from '../kysely-store';
import type { Database, UsageRecordsTable, UsageRollupsTable } from '../schema';
import { ROLLUP_SUMS, storedRequestIds } from '../usage-rollups';

export class MysqlControlPlaneStore extends KyselyControlPlaneStore {
  /**
   * ON DUPLICATE KEY UPDATE with a no-op assignment rather than INSERT IGNORE: IGNORE also turns
   * other errors (a value too long, a bad type) into warnings and stores a mangled row, while this
   * skips only the duplicate key, the request id (the table's one unique key).
   */
  protected override async insertUsageRows(
    trx: Transaction<Database>,
    rows: UsageRecordsTable[],
  ): Promise<string[]> {
    // MySQL has no RETURNING: the ids already stored are read first, in this transaction. Exact
    // for retried batches (they run one after another); a request id is written by one writer.
    const stored = await storedRequestIds(
      trx,
      rows.map((row) => row.request_id),
    );
    await trx
      .insertInto('usage_records')
      .values(rows)
      .onDuplicateKeyUpdate((eb) => ({ request_id: eb.ref('request_id') }))
      .execute();
    return rows.map((row) => row.request_id).filter((id) => !stored.has(id));
  }

  /** Upsert-add with VALUES(), which MariaDB and MySQL (deprecated there, still served) both read. */
  protected override async upsertRollupRows(
    trx: Transaction<Database>,
    rows: UsageRollupsTable[],
  ): Promise<void> {
    await trx
      .insertInto('usage_rollups')
      .values(rows)
      .onDuplicateKeyUpdate(
        Object.fromEntries(
          ROLLUP_SUMS.map((column) => [column, sql`${sql.ref(column)} + values(${sql.ref(column)})`]),
        ),
      )
      .execute();
  }
}
