/**
 * Gemini's OpenAPI-subset `Schema` (function `parameters`, `responseSchema`) -> JSON Schema, the
 * canonical form of tool parameters and response schemas. Types become lower-case, `nullable`
 * becomes a `null` type, `propertyOrdering` becomes the order of `properties`.
 */
import { asObject } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { field, numberField, stringArrayField, stringField } from './fields';
import { SCHEMA_COUNT_KEYWORDS } from './same-name-fields';

const PLAIN_KEYS = ['description', 'title', 'pattern', 'default', 'minimum', 'maximum'] as const;

export function fromGeminiSchema(input: unknown): JsonObject {
  const node = asObject(input);
  if (node === undefined) return {};
  const out: JsonObject = {};

  const rawType = stringField(node, 'type')?.toLowerCase();
  const type = rawType === 'type_unspecified' ? undefined : rawType;
  const nullable = field(node, 'nullable') === true;
  if (type !== undefined) out['type'] = nullable && type !== 'null' ? [type, 'null'] : type;

  const format = stringField(node, 'format');
  // `format: enum` only marks an enum in the OpenAPI subset; JSON Schema's `enum` says it alone.
  if (format !== undefined && format !== 'enum') out['format'] = format;

  for (const key of PLAIN_KEYS) {
    const value = field(node, key);
    if (value !== undefined) out[key] = value;
  }
  for (const key of SCHEMA_COUNT_KEYWORDS) {
    const value = numberField(node, key);
    if (value !== undefined) out[key] = value;
  }
  const example = field(node, 'example');
  if (example !== undefined) out['examples'] = [example];

  const values: unknown = field(node, 'enum');
  if (Array.isArray(values)) out['enum'] = nullable ? [...(values as unknown[]), null] : values;

  const properties = asObject(field(node, 'properties'));
  if (properties)
    out['properties'] = orderedProperties(properties, stringArrayField(node, 'propertyOrdering'));
  const required = stringArrayField(node, 'required');
  if (required) out['required'] = required;

  const items = field(node, 'items');
  if (items !== undefined) out['items'] = fromGeminiSchema(items);

  const anyOf = field(node, 'anyOf');
  if (Array.isArray(anyOf)) {
    out['anyOf'] = anyOf.map(fromGeminiSchema);
    if (nullable && type === undefined) (out['anyOf'] as unknown[]).push({ type: 'null' });
  }
  return out;
}

function orderedProperties(properties: JsonObject, ordering: string[] | undefined): JsonObject {
  const out: JsonObject = {};
  for (const name of ordering ?? []) {
    if (name in properties) out[name] = fromGeminiSchema(properties[name]);
  }
  for (const [name, value] of Object.entries(properties)) {
    if (!(name in out)) out[name] = fromGeminiSchema(value);
  }
  return out;
}
