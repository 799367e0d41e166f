/**
 * JSON Schema -> the OpenAPI 3.0 subset Gemini accepts in `FunctionDeclaration.parameters`
 * (`Schema` in the API reference). `parametersJsonSchema` would take JSON Schema as-is, but not
 * every Gemini API version and Vertex release accepts every keyword there, while `parameters` works
 * everywhere. What the subset cannot say is approximated or dropped, each with a warning naming the
 * keyword's path.
 */
import { asObject } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { SCHEMA_COUNT_KEYWORDS } from './same-name-fields';

/** How many times one `$ref` may be expanded inside itself before a recursive schema is cut. */
const MAX_REF_DEPTH = 3;

/** The only `format` values the API accepts, per type (others are rejected with a 400). */
const FORMATS: Record<string, readonly string[]> = {
  STRING: ['enum', 'date-time'],
  NUMBER: ['float', 'double'],
  INTEGER: ['int32', 'int64'],
};

const TYPES = new Set(['STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT']);

/** Keywords copied unchanged: they exist with the same meaning in Gemini's Schema. */
const COPIED = [
  'description',
  'title',
  'pattern',
  'default',
  'example',
  'minimum',
  'maximum',
  ...SCHEMA_COUNT_KEYWORDS,
  'propertyOrdering',
] as const;

/** Keywords handled in `convertNode` or that only structure the document. */
const HANDLED = new Set<string>([
  ...COPIED,
  'type',
  'nullable',
  'properties',
  'required',
  'items',
  'anyOf',
  'oneOf',
  'allOf',
  'enum',
  'const',
  'format',
  'examples',
  'exclusiveMinimum',
  'exclusiveMaximum',
  '$ref',
  '$schema',
  '$id',
  '$comment',
  '$defs',
  'definitions',
]);

interface Context {
  root: JsonObject;
  warnings: TransformWarnings;
  /** How often each `$ref` is being expanded on the current path. */
  refDepth: Map<string, number>;
}

/** Converts a JSON Schema to Gemini's Schema; `path` names it in warnings (e.g. `tools[0].parameters`). */
export function toGeminiSchema(schema: JsonObject, warnings: TransformWarnings, path: string): JsonObject {
  return convertNode(schema, path, { root: schema, warnings, refDepth: new Map() });
}

function convertNode(input: unknown, path: string, ctx: Context): JsonObject {
  let node = asObject(input);
  // `true` / `{}` allow anything: an empty Schema says the same.
  if (node === undefined) return {};
  const out: JsonObject = {};
  node = liftNullAlternative(node, out);

  const ref = node['$ref'];
  if (typeof ref === 'string') {
    const result = convertRef(ref, node, path, ctx);
    if (out['nullable'] === true) result['nullable'] = true;
    return result;
  }

  node = mergeAllOf(node, path, ctx);

  convertType(node['type'], out, path, ctx);
  if (node['nullable'] === true) out['nullable'] = true;
  for (const key of COPIED) if (node[key] !== undefined) out[key] = node[key];
  if (out['example'] === undefined && Array.isArray(node['examples']) && node['examples'].length > 0) {
    out['example'] = node['examples'][0];
  }
  convertExclusiveBound(node, 'exclusiveMinimum', 'minimum', out, path, ctx);
  convertExclusiveBound(node, 'exclusiveMaximum', 'maximum', out, path, ctx);
  convertEnum(node, out, path, ctx);
  convertFormat(node['format'], out, path, ctx);

  const properties = asObject(node['properties']);
  if (properties) {
    const converted: JsonObject = {};
    for (const [name, value] of Object.entries(properties)) {
      converted[name] = convertNode(value, `${path}.properties.${name}`, ctx);
    }
    out['properties'] = converted;
  }
  if (Array.isArray(node['required'])) {
    out['required'] = node['required'].filter((name): name is string => typeof name === 'string');
  }
  convertItems(node['items'], out, path, ctx);

  const alternatives = node['anyOf'] ?? node['oneOf'];
  if (Array.isArray(alternatives)) {
    if (node['oneOf'] !== undefined) ctx.warnings.add('approximated', `${path}.oneOf`, 'sent as anyOf');
    out['anyOf'] = alternatives.map((item, i) => convertNode(item, `${path}.anyOf[${i}]`, ctx));
    // The API rejects a schema with both `type` and `anyOf`; the alternatives carry the types.
    delete out['type'];
  }

  inferType(out);
  for (const key of Object.keys(node)) {
    if (!HANDLED.has(key)) ctx.warnings.add('approximated', `${path}.${key}`, 'keyword dropped for Gemini');
  }
  return out;
}

/** Inlines a `$ref` (Gemini's Schema has no references), cutting recursion at MAX_REF_DEPTH. */
function convertRef(ref: string, node: JsonObject, path: string, ctx: Context): JsonObject {
  const target = resolveRef(ref, ctx.root);
  const { $ref: _ref, ...siblings } = node;
  if (target === undefined) {
    ctx.warnings.add('approximated', `${path}.$ref`, `unresolvable reference ${ref}`);
    return convertNode(siblings, path, ctx);
  }
  const depth = ctx.refDepth.get(ref) ?? 0;
  if (depth >= MAX_REF_DEPTH) {
    ctx.warnings.add(
      'approximated',
      `${path}.$ref`,
      `recursive reference ${ref} cut at depth ${MAX_REF_DEPTH}`,
    );
    const cut: JsonObject = {};
    convertType(target['type'], cut, path, ctx);
    const description = siblings['description'] ?? target['description'];
    if (typeof description === 'string') cut['description'] = description;
    inferType(cut);
    return cut;
  }
  ctx.refDepth.set(ref, depth + 1);
  try {
    // Keywords beside `$ref` (often a description) refine the referenced schema.
    return convertNode({ ...target, ...siblings }, path, ctx);
  } finally {
    ctx.refDepth.set(ref, depth);
  }
}

function resolveRef(ref: string, root: JsonObject): JsonObject | undefined {
  if (ref === '#') return root;
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!match) return undefined;
  const name = (match[2] ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
  return asObject(asObject(root[match[1] ?? ''])?.[name]);
}

/** `allOf` has no counterpart: its members are merged into one schema. */
function mergeAllOf(node: JsonObject, path: string, ctx: Context): JsonObject {
  const all = node['allOf'];
  if (!Array.isArray(all)) return node;
  const { allOf: _allOf, ...rest } = node;
  if (all.length !== 1) ctx.warnings.add('approximated', `${path}.allOf`, 'members merged');
  const merged: JsonObject = { ...rest };
  for (const member of all) {
    let item = asObject(member);
    if (item === undefined) continue;
    if (typeof item['$ref'] === 'string') item = resolveRef(item['$ref'], ctx.root) ?? item;
    for (const [key, value] of Object.entries(item)) {
      if (key === 'properties') {
        merged['properties'] = { ...asObject(merged['properties']), ...asObject(value) };
      } else if (key === 'required' && Array.isArray(value)) {
        const before: unknown[] = Array.isArray(merged['required']) ? (merged['required'] as unknown[]) : [];
        merged['required'] = [...new Set([...before, ...(value as unknown[])])];
      } else if (merged[key] === undefined) {
        merged[key] = value;
      }
    }
  }
  return merged;
}

/** `anyOf: [X, {type: 'null'}]` (how Pydantic and Zod say "nullable") becomes X with `nullable`. */
function liftNullAlternative(node: JsonObject, out: JsonObject): JsonObject {
  const key = Array.isArray(node['anyOf']) ? 'anyOf' : Array.isArray(node['oneOf']) ? 'oneOf' : undefined;
  if (key === undefined) return node;
  const alternatives = node[key] as unknown[];
  const rest = alternatives.filter((item) => asObject(item)?.['type'] !== 'null');
  if (rest.length === alternatives.length) return node;
  out['nullable'] = true;
  const { [key]: _removed, ...siblings } = node;
  // A `$ref` alternative stays a `$ref` so recursion is still counted when it is expanded.
  if (rest.length === 1) return { ...(asObject(rest[0]) ?? {}), ...siblings };
  return { ...siblings, [key]: rest };
}

function convertType(type: unknown, out: JsonObject, path: string, ctx: Context): void {
  const names = typeof type === 'string' ? [type] : Array.isArray(type) ? type : [];
  const upper = names.filter((n): n is string => typeof n === 'string').map((n) => n.toUpperCase());
  if (upper.includes('NULL')) out['nullable'] = true;
  const kept = upper.filter((n) => n !== 'NULL');
  const unknown = kept.filter((n) => !TYPES.has(n));
  if (unknown.length > 0)
    ctx.warnings.add('approximated', `${path}.type`, `unknown type ${unknown.join(', ')}`);
  const known = kept.filter((n) => TYPES.has(n));
  if (known.length === 1) out['type'] = known[0];
  else if (known.length > 1) out['anyOf'] = known.map((n) => ({ type: n }));
}

function convertEnum(node: JsonObject, out: JsonObject, path: string, ctx: Context): void {
  const values = Array.isArray(node['enum']) ? node['enum'] : undefined;
  if (values) {
    if (values.includes(null)) out['nullable'] = true;
    const rest = values.filter((v) => v !== null);
    // Gemini enums are strings of a STRING schema; other enums cannot be expressed.
    if (rest.every((v) => typeof v === 'string')) out['enum'] = rest;
    else ctx.warnings.add('approximated', `${path}.enum`, 'non-string enum dropped');
  }
  if (node['const'] !== undefined) {
    if (typeof node['const'] === 'string') out['enum'] = [node['const']];
    else ctx.warnings.add('approximated', `${path}.const`, 'non-string const dropped');
  }
  if (out['enum'] !== undefined && out['type'] === undefined) out['type'] = 'STRING';
}

function convertFormat(format: unknown, out: JsonObject, path: string, ctx: Context): void {
  if (typeof format !== 'string') return;
  const type = typeof out['type'] === 'string' ? out['type'] : '';
  if (FORMATS[type]?.includes(format)) out['format'] = format;
  else ctx.warnings.add('approximated', `${path}.format`, `format ${format} dropped`);
}

function convertExclusiveBound(
  node: JsonObject,
  key: 'exclusiveMinimum' | 'exclusiveMaximum',
  target: 'minimum' | 'maximum',
  out: JsonObject,
  path: string,
  ctx: Context,
): void {
  const value = node[key];
  if (value === undefined) return;
  if (typeof value === 'number' && out[target] === undefined) out[target] = value;
  ctx.warnings.add('approximated', `${path}.${key}`, `sent as inclusive ${target}`);
}

function convertItems(items: unknown, out: JsonObject, path: string, ctx: Context): void {
  if (items === undefined) return;
  if (Array.isArray(items)) {
    // Tuples (draft-07 `items: [...]`) have no counterpart; they become anyOf the listed item schemas.
    ctx.warnings.add('approximated', `${path}.items`, 'tuple sent as anyOf of its items');
    out['items'] = { anyOf: items.map((item, i) => convertNode(item, `${path}.items[${i}]`, ctx)) };
    return;
  }
  out['items'] = convertNode(items, `${path}.items`, ctx);
}

/** A schema with properties but no type is an object (and so on); the API wants the type said. */
function inferType(out: JsonObject): void {
  if (out['type'] !== undefined || out['anyOf'] !== undefined) return;
  if (out['properties'] !== undefined) out['type'] = 'OBJECT';
  else if (out['items'] !== undefined) out['type'] = 'ARRAY';
  else if (out['enum'] !== undefined) out['type'] = 'STRING';
}
