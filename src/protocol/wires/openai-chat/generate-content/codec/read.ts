/**
 * Chat Completions-specific reads of untyped JSON, beside the shared typed reads of
 * protocol/json-access: a value of the wrong type reads as absent.
 */
import { asArray, asObject } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';

/** The objects of an array field, with their original positions (for warning paths). */
export function objectsOf(value: unknown): Array<[number, JsonObject]> {
  const out: Array<[number, JsonObject]> = [];
  asArray(value)?.forEach((item, i) => {
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
