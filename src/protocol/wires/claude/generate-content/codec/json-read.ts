/** Typed reads of untyped Claude JSON: a field of the wrong type reads as absent, never as a crash. */
import type { JsonObject } from '../../../../json-access';

export function stringAt(parent: JsonObject | undefined, key: string): string | undefined {
  const value = parent?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function numberAt(parent: JsonObject | undefined, key: string): number | undefined {
  const value = parent?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function arrayAt(parent: JsonObject | undefined, key: string): unknown[] | undefined {
  const value = parent?.[key];
  return Array.isArray(value) ? (value as unknown[]) : undefined;
}

/** Whether a field holds something other than null/undefined (clients echo `citations: null` etc.). */
export function isPresent(parent: JsonObject | undefined, key: string): boolean {
  const value = parent?.[key];
  return value !== undefined && value !== null;
}

/** Whether a field holds something meaningful: not absent, null, or an empty array. */
export function hasValue(parent: JsonObject | undefined, key: string): boolean {
  const value = parent?.[key];
  if (value === undefined || value === null) return false;
  return !Array.isArray(value) || value.length > 0;
}
