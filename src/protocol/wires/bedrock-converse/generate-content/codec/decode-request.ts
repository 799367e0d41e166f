/**
 * A Converse request body to the canonical request. Clients never send Converse (decision 0009):
 * this reads back what encodeConverseRequest wrote, so tests can check what survived. The model is
 * in the URL (`path.model`), as is the choice of ConverseStream (`path.stream`).
 */
import { GatewayError } from '../../../../../core/errors';
import type { DecodeRequestContext } from '../../../../canonical/codec';
import type { CanonicalMessage, CanonicalRequest } from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { arrayAt, numberAt, objectAt, stringAt, type JsonObject } from '../../../../json-access';
import { requireModel, requireObjectBody } from '../../../request-facts';
import { blocksOf, decodeBlocks, decodeSystem } from './decode-blocks';
import { decodeModelFields } from './model-fields';
import { decodeToolConfig } from './tools';

/** Fields with a meaning the canonical model cannot hold. */
const DROPPED_FIELDS = [
  'guardrailConfig',
  'promptVariables',
  'additionalModelResponseFieldPaths',
  'performanceConfig',
];

export function decodeConverseRequest(body: unknown, context: DecodeRequestContext): CanonicalRequest {
  const object = requireObjectBody(body);
  const model = requireModel(context.path.model ?? object['modelId']);
  if (!arrayAt(object, 'messages')) {
    throw new GatewayError('invalid_request', '`messages` must be an array of messages', {
      param: 'messages',
    });
  }
  const { warnings } = context;
  const request: CanonicalRequest = {
    model,
    system: decodeSystem(object['system'], warnings),
    messages: blocksOf(object['messages']).map((message, i) => decodeMessage(message, i, warnings)),
    tools: [],
    stream: context.path.stream === true,
  };
  decodeToolConfig(object['toolConfig'], request);
  decodeInference(objectAt(object, 'inferenceConfig'), request);
  decodeModelFields(objectAt(object, 'additionalModelRequestFields'), request, warnings);
  decodeOutputConfig(objectAt(object, 'outputConfig'), request);
  const metadata = objectAt(object, 'requestMetadata');
  if (metadata) {
    request.metadata = Object.fromEntries(
      Object.entries(metadata).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  }
  for (const field of DROPPED_FIELDS) if (object[field] !== undefined) warnings.add('dropped', field);
  return request;
}

function decodeMessage(message: JsonObject, i: number, warnings: TransformWarnings): CanonicalMessage {
  const role = stringAt(message, 'role');
  if (role !== 'user' && role !== 'assistant') {
    throw new GatewayError('invalid_request', `\`messages[${i}].role\` must be "user" or "assistant"`, {
      param: `messages[${i}].role`,
    });
  }
  return { role, parts: decodeBlocks(message['content'], `messages[${i}].content`, warnings) };
}

function decodeInference(config: JsonObject | undefined, request: CanonicalRequest): void {
  const maxTokens = numberAt(config, 'maxTokens');
  if (maxTokens !== undefined) request.maxOutputTokens = maxTokens;
  const temperature = numberAt(config, 'temperature');
  if (temperature !== undefined) request.temperature = temperature;
  const topP = numberAt(config, 'topP');
  if (topP !== undefined) request.topP = topP;
  const stop = arrayAt(config, 'stopSequences')?.filter((s): s is string => typeof s === 'string');
  if (stop && stop.length > 0) request.stop = stop;
}

function decodeOutputConfig(config: JsonObject | undefined, request: CanonicalRequest): void {
  const format = objectAt(config, 'textFormat');
  if (stringAt(format, 'type') !== 'json_schema') return;
  const jsonSchema = objectAt(objectAt(format, 'structure'), 'jsonSchema');
  let schema: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(stringAt(jsonSchema, 'schema') ?? '{}') as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      schema = parsed as Record<string, unknown>;
    }
  } catch {
    // An unreadable schema constrains nothing we can carry.
  }
  request.responseFormat = { type: 'json-schema', schema };
  const name = stringAt(jsonSchema, 'name');
  if (name !== undefined) request.responseFormat.name = name;
  const description = stringAt(jsonSchema, 'description');
  if (description !== undefined) request.responseFormat.description = description;
}
