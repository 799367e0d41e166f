/** Typed reads of untyped JSON fields (wrong types read as absent), on top of protocol/json-access. */
import { asObject } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';

export function stringAt(parent: JsonObject | undefined, key: string): string | undefined {
  const value = parent?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function numberAt(parent: JsonObject | undefined, key: string): number | undefined {
  const value = parent?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function booleanAt(parent: JsonObject | undefined, key: string): boolean | undefined {
  const value = parent?.[key];
  return typeof value === 'boolean' ? value : undefined;
}

export function arrayAt(parent: JsonObject | undefined, key: string): unknown[] | undefined {
  const value = parent?.[key];
  return Array.isArray(value) ? value : undefined;
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

/** Present with a value other than null: what "the client set this field" means for optional fields. */
export function isSet(parent: JsonObject | undefined, key: string): boolean {
  const value = parent?.[key];
  return value !== undefined && value !== null;
}
