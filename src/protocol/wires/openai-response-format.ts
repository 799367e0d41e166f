/**
 * The structured-output format both OpenAI wires share, `{ type: text | json_object | json_schema }`:
 * Chat Completions sends it as `response_format` with the schema's fields nested under
 * `json_schema`, Responses as `text.format` with them beside `type`.
 */
import type { ResponseFormat } from '../canonical/request';
import { asBoolean, asString, objectAt } from '../json-access';
import type { JsonObject } from '../json-access';

/**
 * The format of wire `type` as canonical, reading a `json_schema`'s fields from `spec`; undefined
 * when `type` is absent, and after `onUnknown` (for the wire's own warning) when it is not known.
 */
export function decodeOpenAiResponseFormat(
  type: unknown,
  spec: JsonObject | undefined,
  onUnknown: (type: unknown) => void,
): ResponseFormat | undefined {
  switch (type) {
    case undefined:
      return undefined;
    case 'text':
      return { type: 'text' };
    case 'json_object':
      return { type: 'json-object' };
    case 'json_schema': {
      const format: ResponseFormat = { type: 'json-schema', schema: objectAt(spec, 'schema') ?? {} };
      const name = asString(spec?.['name']);
      if (name !== undefined) format.name = name;
      const description = asString(spec?.['description']);
      if (description !== undefined) format.description = description;
      const strict = asBoolean(spec?.['strict']);
      if (strict !== undefined) format.strict = strict;
      return format;
    }
    default:
      onUnknown(type);
      return undefined;
  }
}

/** The `json_schema` fields of a schema format: `name` (required by OpenAI), `schema`, and the optional ones. */
function openAiSchemaSpec(format: Extract<ResponseFormat, { type: 'json-schema' }>): JsonObject {
  // OpenAI requires a name; other wires have none to give.
  const spec: JsonObject = { name: format.name ?? 'response', schema: format.schema };
  if (format.description !== undefined) spec['description'] = format.description;
  if (format.strict !== undefined) spec['strict'] = format.strict;
  return spec;
}

/** A canonical format as the OpenAI wire object, with `json_schema`'s fields placed by `placeSpec`. */
export function encodeOpenAiResponseFormat(
  format: ResponseFormat,
  placeSpec: (spec: JsonObject) => JsonObject,
): JsonObject {
  switch (format.type) {
    case 'text':
      return { type: 'text' };
    case 'json-object':
      return { type: 'json_object' };
    case 'json-schema':
      return { type: 'json_schema', ...placeSpec(openAiSchemaSpec(format)) };
  }
}
