/** Defensive access to parsed JSON of unknown shape: wrong types read as absent, never as a crash. */

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A finite number, else undefined. */
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? (value as unknown[]) : undefined;
}

/** Present with a value other than null: what "the client set this field" means for optional fields. */
export function isSetValue(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A field as an object, or undefined. */
export function objectAt(parent: JsonObject | undefined, key: string): JsonObject | undefined {
  return parent === undefined ? undefined : asObject(parent[key]);
}

export function stringAt(parent: JsonObject | undefined, key: string): string | undefined {
  return asString(parent?.[key]);
}

/** A finite number field, else undefined. */
export function numberAt(parent: JsonObject | undefined, key: string): number | undefined {
  return asNumber(parent?.[key]);
}

export function booleanAt(parent: JsonObject | undefined, key: string): boolean | undefined {
  return asBoolean(parent?.[key]);
}

export function arrayAt(parent: JsonObject | undefined, key: string): unknown[] | undefined {
  return asArray(parent?.[key]);
}

/** The objects of an array field; non-objects are skipped. */
export function objectsAt(parent: JsonObject | undefined, key: string): JsonObject[] {
  const out: JsonObject[] = [];
  for (const item of arrayAt(parent, key) ?? []) {
    const object = asObject(item);
    if (object) out.push(object);
  }
  return out;
}

/** Whether a field is present with a value other than null (clients echo `citations: null` etc.). */
export function isSet(parent: JsonObject | undefined, key: string): boolean {
  return isSetValue(parent?.[key]);
}

/** A token count field: a finite, non-negative number, else undefined (absent, null or garbage). */
export function countAt(parent: JsonObject | undefined, key: string): number | undefined {
  const value = parent?.[key];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
