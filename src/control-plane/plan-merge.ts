/**
 * The merge steps every part of an import plan shares: create-or-update a named record, swap a
 * parent's children, and report what changed by field name (never by value).
 */
import { newId } from '../core/ids';
import type { ControlPlaneData } from './model';

export type Named = { id: string; name: string };

/** Creates or updates the record called `name`; reports changed fields, never their values. */
export function upsert<T extends Named>(
  list: T[],
  byName: Map<string, T>,
  name: string,
  fields: Omit<Partial<T>, 'id' | 'name'>,
  what: string,
  changes: string[],
  keepOnUpdate: readonly string[] = [],
): T {
  const existing = byName.get(name);
  if (existing === undefined) {
    const created = { id: newId(), name, ...fields } as T;
    list.push(created);
    byName.set(name, created);
    changes.push(`create ${what}`);
    return created;
  }
  const changed = changedKeys(existing, fields).filter((key) => !keepOnUpdate.includes(key));
  if (changed.length > 0) {
    const updates = Object.fromEntries(Object.entries(fields).filter(([key]) => changed.includes(key)));
    Object.assign(existing, updates);
    changes.push(`update ${what} (${changed.join(', ')})`);
  }
  return existing;
}

export type ChildCollection = 'credentials' | 'providerModels' | 'routeMembers' | 'userKeys' | 'teams';

/** Swaps a parent's children for `replacement` (entries that failed validation are skipped). */
export function replaceChildren<K extends ChildCollection>(
  next: ControlPlaneData,
  collection: K,
  parentId: string,
  parentOf: (child: ControlPlaneData[K][number]) => string,
  replacement: (ControlPlaneData[K][number] | undefined)[],
  changes: string[],
  describe: (child: ControlPlaneData[K][number]) => string,
): void {
  type Child = ControlPlaneData[K][number];
  const all = next[collection] as Child[];
  const before = new Map(
    all.filter((child) => parentOf(child) === parentId).map((child) => [child.id, child]),
  );
  const after = replacement.filter((child): child is Child => child !== undefined);
  for (const child of after) {
    const old = before.get(child.id);
    if (old === undefined) changes.push(`create ${describe(child)}`);
    else {
      const changed = changedKeys(old, child);
      if (changed.length > 0) changes.push(`update ${describe(child)} (${changed.join(', ')})`);
    }
  }
  const kept = new Set(after.map((child) => child.id));
  for (const old of before.values()) if (!kept.has(old.id)) changes.push(`delete ${describe(old)}`);
  (next[collection] as Child[]) = [...all.filter((child) => parentOf(child) !== parentId), ...after];
}

/** Keys of `after` whose value differs from the same key in `before`. */
export function changedKeys(before: object, after: object): string[] {
  const old = new Map(Object.entries(before));
  return Object.entries(after)
    .filter(([key, value]) => stableJson(old.get(key)) !== stableJson(value))
    .map(([key]) => key);
}

/** JSON with sorted object keys, so settings that differ only in key order compare equal. */
export function stableJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, inner: unknown) =>
      inner !== null && typeof inner === 'object' && !Array.isArray(inner)
        ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : inner,
    ) ?? 'undefined'
  );
}
