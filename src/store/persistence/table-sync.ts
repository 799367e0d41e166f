/**
 * Saving the control plane: every control table is brought to the wanted rows inside the caller's
 * transaction (deletes children-first, then updates and inserts parents-first), touching only the
 * rows that changed. Generic over the tables; the typed rows come from ./rows and friends.
 */
import type { Transaction } from 'kysely';
import type { Database } from './schema';

export type ControlTable = Exclude<
  keyof Database,
  'usage_records' | 'usage_rollups' | 'control_plane_meta' | 'audit_records' | 'request_logs'
>;
export type Row = { id: string } & Record<string, unknown>;
/** A loosely typed view used only by the generic table sync; the typed rows come from ./rows. */
export type LooseDb = Record<ControlTable, Row>;

/** Parents before children: inserts go in this order, deletes in the reverse. */
export const TABLE_ORDER: readonly ControlTable[] = [
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
export const MAX_PARAMS = 900;

/** Brings every control table from `existing` (rows by id, per table) to `wanted`. */
export async function syncTables(
  trx: Transaction<LooseDb>,
  wanted: Readonly<Record<ControlTable, Row[]>>,
  existing: ReadonlyMap<ControlTable, Map<string, Row>>,
): Promise<void> {
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
}

export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
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
