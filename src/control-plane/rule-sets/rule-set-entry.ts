/**
 * A rule set in its bundle shape (docs/rule-sets.md): a unique name, an optional description and
 * ordered rules, each one action with an optional `when`:
 *
 *   { "name": "tag-openai", "rules": [
 *       { "action": "default_field", "path": "/metadata/source", "value": "gproxy" },
 *       { "action": "set_header", "header": "OpenAI-Beta", "value": "assistants=v2",
 *         "when": { "models": ["gpt-4o*"], "stream": true } } ] }
 *
 * Header names are stored lower-case. Headers a rule may not touch are refused here, once, so the
 * hot path never checks them: framing and hop-by-hop headers (the transport owns them), credential
 * headers (the channel injects them; a rule can neither read, replace nor drop a secret) and the
 * headers AWS SigV4 signs.
 */
import { z } from 'zod';
import { parseJsonPointer } from '../../core/json-pointer';
import { OPERATIONS, UPSTREAM_WIRE_KINDS } from '../../protocol/operation';
import type { RuleRecord, RuleSetRecord } from '../model';

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];
const FRAMING = ['content-length', 'content-encoding'];
const CREDENTIALS = [
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'cookie',
];

/** Why a request header name may not be set or removed by a rule, or null. */
export function requestHeaderProblem(name: string): string | null {
  if (HOP_BY_HOP.includes(name) || FRAMING.includes(name) || name === 'host')
    return `"${name}" is set by the transport; rules cannot change it`;
  if (CREDENTIALS.includes(name))
    return `"${name}" carries credentials, which the channel injects; rules cannot change it`;
  if (name.startsWith('x-amz-'))
    return `"${name}" is signed by the aws-bedrock channel; rules cannot change it`;
  return null;
}

/** Why a response header name may not be set or removed by a rule, or null. */
export function responseHeaderProblem(name: string): string | null {
  if (HOP_BY_HOP.includes(name) || FRAMING.includes(name))
    return `"${name}" is set by the transport; rules cannot change it`;
  return null;
}

// RFC 9110 token characters.
const headerName = (problem: (name: string) => string | null) =>
  z
    .string()
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,200}$/, 'Must be an HTTP header name (letters, digits, "-" ...)')
    .transform((name) => name.toLowerCase())
    .superRefine((name, ctx) => {
      const message = problem(name);
      if (message !== null) ctx.addIssue({ code: 'custom', message });
    });

const headerValue = z
  .string()
  .max(8192, 'Must be at most 8192 characters')
  // CR, LF and NUL would split or end the header (response splitting).
  .refine((value) => !/[\r\n\0]/.test(value), 'Must not contain line breaks or NUL');

const pointer = z
  .string()
  .max(1000, 'Must be at most 1000 characters')
  .superRefine((path, ctx) => {
    const parsed = parseJsonPointer(path);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
    else if (parsed.tokens.length === 0)
      ctx.addIssue({ code: 'custom', message: 'Must name a field, not the whole body ("")' });
  });

const list = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1, 'Must list at least one value (leave the condition out to match all)').max(100);

export const ruleConditionSchema = z.strictObject({
  models: list(z.string().min(1, 'Must not be empty').max(400)).optional(),
  operations: list(z.enum(OPERATIONS, { error: `Must be one of ${OPERATIONS.join(', ')}` })).optional(),
  wires: list(
    z.enum(UPSTREAM_WIRE_KINDS as [string, ...string[]], {
      error: `Must be one of ${UPSTREAM_WIRE_KINDS.join(', ')}`,
    }),
  ).optional(),
  stream: z.boolean().optional(),
});

const when = { when: ruleConditionSchema.optional() };
const requestHeader = headerName(requestHeaderProblem);
const responseHeader = headerName(responseHeaderProblem);

export const ruleSchema = z.discriminatedUnion(
  'action',
  [
    z.strictObject({
      action: z.enum(['set_header', 'default_header']),
      header: requestHeader,
      value: headerValue,
      ...when,
    }),
    z.strictObject({ action: z.literal('remove_header'), header: requestHeader, ...when }),
    z.strictObject({
      action: z.enum(['set_field', 'default_field']),
      path: pointer,
      // Any JSON value, null included (bodies come parsed from JSON), but not a missing one.
      value: z
        .unknown()
        .refine(
          (value) => value !== undefined,
          'Required: a JSON value (string, number, boolean, null, object or array)',
        ),
      ...when,
    }),
    z.strictObject({ action: z.literal('remove_field'), path: pointer, ...when }),
    z.strictObject({
      action: z.literal('set_response_header'),
      header: responseHeader,
      value: headerValue,
      ...when,
    }),
    z.strictObject({ action: z.literal('remove_response_header'), header: responseHeader, ...when }),
  ],
  {
    error:
      'Unknown action; use set_header, default_header, remove_header, set_field, default_field, ' +
      'remove_field, set_response_header or remove_response_header',
  },
);

/** Stored as one JSON text (MySQL: mediumtext, 16 MB); kept far below so a snapshot stays small. */
const MAX_RULES_JSON_CHARS = 1_000_000;

export const ruleSetSchema = z.strictObject({
  name: z.string().min(1, 'Must not be empty').max(200, 'Must be at most 200 characters'),
  description: z.string().max(1000, 'Must be at most 1000 characters').nullable().default(null),
  rules: z
    .array(ruleSchema)
    .max(200, 'At most 200 rules')
    .default([])
    .refine(
      (rules) => JSON.stringify(rules).length <= MAX_RULES_JSON_CHARS,
      `Must be at most ${MAX_RULES_JSON_CHARS} characters of JSON in all`,
    ),
});

export type RuleSetEntry = z.output<typeof ruleSetSchema>;

/** The record's rules from a validated entry (absent optional fields stay absent). */
export function rulesOfEntry(entry: RuleSetEntry): RuleRecord[] {
  return entry.rules.map((rule) => structuredClone(rule) as RuleRecord);
}

export function entryOfRecord(record: RuleSetRecord): RuleSetEntry {
  return {
    name: record.name,
    description: record.description,
    rules: structuredClone(record.rules) as RuleSetEntry['rules'],
  };
}
