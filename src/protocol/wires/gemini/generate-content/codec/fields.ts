/**
 * Reads of Gemini request JSON. Google's REST surface accepts both the proto3 JSON names
 * (`systemInstruction`, `inlineData`) and the original snake_case names (`system_instruction`,
 * `inline_data`), and Google's own curl examples use both, so every known field is read under
 * either spelling. Free-form values (function args, JSON Schemas) are never renamed.
 */
import { asArray, asObject, asString, isSetValue } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A field under its camelCase or snake_case name. */
export function field(object: JsonObject | undefined, name: string): unknown {
  if (object === undefined) return undefined;
  const camel = object[name];
  return camel !== undefined ? camel : object[snake(name)];
}

export function objectField(object: JsonObject | undefined, name: string): JsonObject | undefined {
  return asObject(field(object, name));
}

export function stringField(object: JsonObject | undefined, name: string): string | undefined {
  return asString(field(object, name));
}

export function numberField(object: JsonObject | undefined, name: string): number | undefined {
  const value = field(object, name);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  // int64 fields may arrive as JSON strings (proto3 JSON).
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

export function arrayField(object: JsonObject | undefined, name: string): unknown[] | undefined {
  return asArray(field(object, name));
}

export function stringArrayField(object: JsonObject | undefined, name: string): string[] | undefined {
  const value = arrayField(object, name);
  return value?.filter((item): item is string => typeof item === 'string');
}

/** Whether the field is present with a non-null value. */
export function hasField(object: JsonObject | undefined, name: string): boolean {
  return isSetValue(field(object, name));
}
