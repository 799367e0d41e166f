/** A Chat Completions request body as a canonical request (lenient; see GenerateContentCodec). */
import type { DecodeRequestContext } from '../../../../canonical/codec';
import { readEffortLevel } from '../../../../canonical/reasoning-budget';
import type { CanonicalRequest, ReasoningConfig, ResponseFormat } from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asArray, asBoolean, asNumber, asObject, asString, objectAt } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { decodeOpenAiResponseFormat } from '../../../openai-response-format';
import { requireModel, requireObjectBody } from '../../../request-facts';
import { decodeMessages } from './decode-messages';
import { decodeToolChoice, decodeTools } from './decode-tools';
import { setIf } from './read';

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
  const n = asNumber(body['n']);
  if (n !== undefined && n > 1) warnings.add('unsupported', 'n', 'only one choice is generated');
}

function decodeReasoning(value: unknown, warnings: TransformWarnings): ReasoningConfig | undefined {
  if (value === 'none') return { enabled: false };
  if (value === undefined || value === null) return undefined;
  const level = readEffortLevel(value);
  if (level === undefined) {
    warnings.add('dropped', 'reasoning_effort', `unknown value ${JSON.stringify(value)}`);
    return undefined;
  }
  if (level.approximated !== undefined)
    warnings.add('approximated', 'reasoning_effort', `${level.approximated} read as high`);
  return { enabled: true, effort: level.effort };
}

function decodeResponseFormat(value: unknown, warnings: TransformWarnings): ResponseFormat | undefined {
  const format = asObject(value);
  return decodeOpenAiResponseFormat(format?.['type'], objectAt(format, 'json_schema'), (type) =>
    warnings.add('dropped', 'response_format', `unknown type ${String(type)}`),
  );
}

function decodeStop(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  const list = asArray(value)?.filter((item): item is string => typeof item === 'string');
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
  setIf(request, 'parallelToolCalls', asBoolean(object['parallel_tool_calls']));
  setIf(
    request,
    'maxOutputTokens',
    asNumber(object['max_completion_tokens']) ?? asNumber(object['max_tokens']),
  );
  setIf(request, 'temperature', asNumber(object['temperature']));
  setIf(request, 'topP', asNumber(object['top_p']));
  setIf(request, 'stop', decodeStop(object['stop']));
  setIf(request, 'seed', asNumber(object['seed']));
  setIf(request, 'presencePenalty', asNumber(object['presence_penalty']));
  setIf(request, 'frequencyPenalty', asNumber(object['frequency_penalty']));
  setIf(request, 'reasoning', decodeReasoning(object['reasoning_effort'], warnings));
  setIf(request, 'responseFormat', decodeResponseFormat(object['response_format'], warnings));
  // `safety_identifier` is the newer name for the end-user id that `user` carried.
  setIf(request, 'user', asString(object['user']) ?? asString(object['safety_identifier']));
  setIf(request, 'metadata', decodeMetadata(object['metadata']));
  if (request.stream) {
    setIf(request, 'streamIncludeUsage', asBoolean(objectAt(object, 'stream_options')?.['include_usage']));
  }
  reportDropped(object, warnings);
  return request;
}
