/**
 * Backend-neutral helpers for the persistence conformance suite. They work on whatever collections
 * `loadControlPlane` returns (every collection is an array of records with an `id`), so a table
 * added to the control plane is covered without editing them.
 */
import { connect } from 'node:net';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { ControlPlaneData } from '../../../src/control-plane/model';

type AnyRecord = { id: string } & Record<string, unknown>;
type Collections = Record<string, AnyRecord[]>;

/** The collections of a control-plane value, by key (providers, credentials, …). */
export function collections(data: ControlPlaneData): Collections {
  return data as unknown as Collections;
}

function sortedById(list: readonly AnyRecord[]): AnyRecord[] {
  return [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Loaded data equals expected data, collection by collection, ignoring row order (backends sort
 * text differently). Every collection of `expected` must be present in `actual` and vice versa.
 */
export function expectSameData(actual: ControlPlaneData, expected: ControlPlaneData): void {
  const a = collections(actual);
  const e = collections(expected);
  expect(Object.keys(a).sort()).toEqual(Object.keys(e).sort());
  for (const key of Object.keys(e)) {
    expect({ [key]: sortedById(a[key] ?? []) }).toEqual({ [key]: sortedById(e[key] ?? []) });
  }
}

/** A deep copy (the fixtures are plain JSON values). */
export function copy<T>(value: T): T {
  return structuredClone(value);
}

/**
 * Removes one record and, recursively, every record that refers to it through a `…Id` field
 * (credentials of a provider, keys of a user, members of a route …), as an operator deleting it
 * through the admin API would.
 */
export function withoutRecord(data: ControlPlaneData, id: string): ControlPlaneData {
  const out = copy(collections(data));
  const gone = new Set([id]);
  let changed = true;
  while (changed) {
    changed = false;
    for (const [key, list] of Object.entries(out)) {
      const keep = list.filter(
        (record) =>
          !gone.has(record.id) &&
          !Object.entries(record).some(([field, value]) => field.endsWith('Id') && gone.has(String(value))),
      );
      for (const record of list) {
        if (!keep.includes(record) && !gone.has(record.id)) {
          gone.add(record.id);
          changed = true;
        }
      }
      out[key] = keep;
    }
  }
  return out as unknown as ControlPlaneData;
}

/**
 * Changes every field a store must carry that can change without breaking a constraint or an
 * enumeration: booleans flip, numbers grow by one (also inside objects and arrays), and the
 * free-form JSON objects (`settings`, `secret`) gain a key. Ids, references and text stay.
 */
export function mutateRecord<T extends AnyRecord>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(record)) {
    if (field === 'id' || field.endsWith('Id')) out[field] = value;
    else if ((field === 'settings' || field === 'secret') && isPlainObject(value)) {
      out[field] = { ...(mutateValue(value) as Record<string, unknown>), conformance: 'ünïcødé ✓' };
    } else out[field] = mutateValue(value);
  }
  return out as T;
}

function mutateValue(value: unknown): unknown {
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'number') return value + 1;
  if (Array.isArray(value)) return value.map(mutateValue);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mutateValue(v)]));
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deletes every row of every table except the migration bookkeeping and the version row, whatever
 * tables exist. Tables whose delete fails on a foreign key are retried after the others.
 */
export async function emptyAllTables<DB>(db: Kysely<DB>): Promise<void> {
  const loose = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const tables = (await loose.introspection.getTables())
    .map((table) => table.name)
    .filter((name) => !name.startsWith('kysely_') && name !== 'control_plane_meta');
  let pending = tables;
  for (let pass = 0; pending.length > 0; pass++) {
    const failed: string[] = [];
    let lastError: unknown;
    for (const table of pending) {
      try {
        await loose.deleteFrom(table).execute();
      } catch (error) {
        failed.push(table);
        lastError = error;
      }
    }
    if (failed.length === pending.length && pass > tables.length) throw lastError;
    pending = failed;
  }
}

/**
 * Why a server-backed suite is skipped, or undefined to run it. In CI (CI=true) it always runs, so
 * a server that is down fails the suite loudly instead of skipping it.
 */
export async function serverSkipReason(
  what: string,
  host: string,
  port: number,
): Promise<string | undefined> {
  if (process.env['CI'] === 'true') return undefined;
  if (await canConnect(host, port)) return undefined;
  const reason = `${what} is not reachable on ${host}:${port} (start it to run this suite; CI=true never skips)`;
  console.warn(`[conformance] skipping: ${reason}`);
  return reason;
}

function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A name for a throwaway database: lowercase letters and digits only, safe unquoted anywhere. */
export function throwawayName(prefix = 'gproxy_conf'): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
