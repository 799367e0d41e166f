/** Typed reads of untyped Chat Completions JSON: a value of the wrong type reads as absent. */
import { asObject } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function booleanOf(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export function arrayOf(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? (value as unknown[]) : undefined;
}

/** The objects of an array field, with their original positions (for warning paths). */
export function objectsOf(value: unknown): Array<[number, JsonObject]> {
  const out: Array<[number, JsonObject]> = [];
  arrayOf(value)?.forEach((item, i) => {
    const object = asObject(item);
    if (object) out.push([i, object]);
  });
  return out;
}

/** Tool arguments are JSON text on this wire, but some clients send the object itself. */
export function argumentsText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (asObject(value)) return JSON.stringify(value);
  return undefined;
}

/** Set only when present: keeps canonical objects free of `key: undefined` noise. */
export function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
