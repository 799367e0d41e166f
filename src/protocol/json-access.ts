/** Defensive access to parsed JSON of unknown shape: wrong types read as absent, never as a crash. */

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** A field as an object, or undefined. */
export function objectAt(parent: JsonObject | undefined, key: string): JsonObject | undefined {
  return parent === undefined ? undefined : asObject(parent[key]);
}

/** A token count field: a finite, non-negative number, else undefined (absent, null or garbage). */
export function countAt(parent: JsonObject | undefined, key: string): number | undefined {
  const value = parent?.[key];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
