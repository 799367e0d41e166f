/** A Chat Completions request body as a canonical request (lenient; see GenerateContentCodec). */
import type { DecodeRequestContext } from '../../../../canonical/codec';
import type { CanonicalRequest, ReasoningConfig, ResponseFormat } from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asObject, objectAt } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { requireModel, requireObjectBody } from '../../../request-facts';
import { decodeMessages } from './decode-messages';
import { decodeToolChoice, decodeTools } from './decode-tools';
import { arrayOf, booleanOf, numberOf, setIf, stringOf } from './read';

/** Fields whose meaning the canonical model cannot carry; reported when set to anything but their default. */
const DROPPED_FIELDS: Array<[field: string, isDefault: (value: unknown) => boolean]> = [
  ['logprobs', (v) => v === false],
  ['top_logprobs', () => false],
  ['logit_bias', () => false],
  ['service_tier', (v) => v === 'auto' || v === 'default'],
  ['store', (v) => v === false],
  ['prediction', () => false],
  ['modalities', (v) => Array.isArray(v) && v.every((m) => m === 'text')],
  ['audio', () => false],
  ['web_search_options', () => false],
  ['verbosity', () => false],
  ['prompt_cache_key', () => false],
  ['prompt_cache_retention', () => false],
  ['prompt_cache_options', () => false],
  ['moderation', () => false],
];

function reportDropped(body: JsonObject, warnings: TransformWarnings): void {
  for (const [field, isDefault] of DROPPED_FIELDS) {
    const value = body[field];
    if (value !== undefined && value !== null && !isDefault(value)) warnings.add('dropped', field);
  }
  const n = numberOf(body['n']);
  if (n !== undefined && n > 1) warnings.add('unsupported', 'n', 'only one choice is generated');
}

function decodeReasoning(value: unknown, warnings: TransformWarnings): ReasoningConfig | undefined {
  switch (value) {
    case 'none':
      return { enabled: false };
    case 'minimal':
    case 'low':
    case 'medium':
    case 'high':
      return { enabled: true, effort: value };
    case 'xhigh':
    case 'max':
      warnings.add('approximated', 'reasoning_effort', `${value} read as high`);
      return { enabled: true, effort: 'high' };
    case undefined:
    case null:
      return undefined;
    default:
      warnings.add('dropped', 'reasoning_effort', `unknown value ${JSON.stringify(value)}`);
      return undefined;
  }
}

function decodeResponseFormat(value: unknown, warnings: TransformWarnings): ResponseFormat | undefined {
  const format = asObject(value);
  switch (format?.['type']) {
    case undefined:
      return undefined;
    case 'text':
      return { type: 'text' };
    case 'json_object':
      return { type: 'json-object' };
    case 'json_schema': {
      const spec = objectAt(format, 'json_schema');
      const decoded: ResponseFormat = { type: 'json-schema', schema: asObject(spec?.['schema']) ?? {} };
      setIf(decoded, 'name', stringOf(spec?.['name']));
      setIf(decoded, 'description', stringOf(spec?.['description']));
      setIf(decoded, 'strict', booleanOf(spec?.['strict']));
      return decoded;
    }
    default:
      warnings.add('dropped', 'response_format', `unknown type ${String(format?.['type'])}`);
      return undefined;
  }
}

function decodeStop(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  const list = arrayOf(value)?.filter((item): item is string => typeof item === 'string');
  return list && list.length > 0 ? list : undefined;
}

function decodeMetadata(value: unknown): Record<string, string> | undefined {
  const object = asObject(value);
  if (!object) return undefined;
  const entries = Object.entries(object).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

export function decodeRequest(body: unknown, context: DecodeRequestContext): CanonicalRequest {
  const { warnings } = context;
  const object = requireObjectBody(body);
  const model = requireModel(object['model']);
  const { system, messages } = decodeMessages(object['messages'], warnings);
  const request: CanonicalRequest = {
    model,
    system,
    messages,
    tools: decodeTools(object, warnings),
    stream: object['stream'] === true,
  };
  setIf(request, 'toolChoice', decodeToolChoice(object, warnings));
  setIf(request, 'parallelToolCalls', booleanOf(object['parallel_tool_calls']));
  setIf(
    request,
    'maxOutputTokens',
    numberOf(object['max_completion_tokens']) ?? numberOf(object['max_tokens']),
  );
  setIf(request, 'temperature', numberOf(object['temperature']));
  setIf(request, 'topP', numberOf(object['top_p']));
  setIf(request, 'stop', decodeStop(object['stop']));
  setIf(request, 'seed', numberOf(object['seed']));
  setIf(request, 'presencePenalty', numberOf(object['presence_penalty']));
  setIf(request, 'frequencyPenalty', numberOf(object['frequency_penalty']));
  setIf(request, 'reasoning', decodeReasoning(object['reasoning_effort'], warnings));
  setIf(request, 'responseFormat', decodeResponseFormat(object['response_format'], warnings));
  // `safety_identifier` is the newer name for the end-user id that `user` carried.
  setIf(request, 'user', stringOf(object['user']) ?? stringOf(object['safety_identifier']));
  setIf(request, 'metadata', decodeMetadata(object['metadata']));
  if (request.stream) {
    setIf(request, 'streamIncludeUsage', booleanOf(objectAt(object, 'stream_options')?.['include_usage']));
  }
  reportDropped(object, warnings);
  return request;
}
