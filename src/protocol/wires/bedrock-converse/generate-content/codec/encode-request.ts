/**
 * The canonical request as a Converse request body. The model id and the choice between Converse
 * and ConverseStream are in the URL (the channel's), so neither `modelId` nor a stream flag is here.
 */
import type { EncodeRequestContext } from '../../../../canonical/codec';
import type { CanonicalRequest, ResponseFormat } from '../../../../canonical/request';
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';
import { encodeMessages } from './encode-messages';
import { planModelFields, type ModelFields } from './model-fields';
import { encodeToolConfig } from './tools';

export function encodeConverseRequest(
  request: CanonicalRequest,
  context: EncodeRequestContext,
): Record<string, unknown> {
  const { warnings } = context;
  const encoded = encodeMessages(request.messages, warnings);
  const fields = planModelFields(request, encoded.messages, context.upstreamModel, warnings);
  const body: JsonObject = { messages: encoded.messages };
  const system = request.system
    .filter((part) => part.text.trim() !== '')
    .map((part) => ({ text: part.text }));
  if (system.length > 0) body['system'] = system;
  const inference = inferenceConfig(request, fields);
  if (Object.keys(inference).length > 0) body['inferenceConfig'] = inference;
  const tools = encodeToolConfig(request, encoded.toolNames, encoded.hasToolResults, warnings);
  if (tools) body['toolConfig'] = tools;
  const output = outputConfig(request.responseFormat, warnings);
  if (output) body['outputConfig'] = output;
  if (Object.keys(fields.additional).length > 0) body['additionalModelRequestFields'] = fields.additional;
  if (request.metadata !== undefined && Object.keys(request.metadata).length > 0) {
    body['requestMetadata'] = request.metadata;
  }
  if (request.user !== undefined) warnings.add('dropped', 'user');
  if (request.seed !== undefined) warnings.add('dropped', 'seed');
  if (request.presencePenalty !== undefined) warnings.add('dropped', 'presencePenalty');
  if (request.frequencyPenalty !== undefined) warnings.add('dropped', 'frequencyPenalty');
  return body;
}

function inferenceConfig(request: CanonicalRequest, fields: ModelFields): JsonObject {
  const config: JsonObject = {};
  const maxTokens = fields.maxTokens ?? request.maxOutputTokens;
  if (maxTokens !== undefined) config['maxTokens'] = maxTokens;
  if (request.temperature !== undefined && !fields.dropTemperature)
    config['temperature'] = request.temperature;
  if (request.topP !== undefined && !fields.dropTopP) config['topP'] = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) config['stopSequences'] = request.stop;
  return config;
}

/** Structured output: `outputConfig.textFormat` with the JSON schema as text. */
function outputConfig(
  format: ResponseFormat | undefined,
  warnings: TransformWarnings,
): JsonObject | undefined {
  if (format?.type === 'json-object') {
    warnings.add('dropped', 'responseFormat', 'Converse has no schema-less JSON mode');
    return undefined;
  }
  if (format?.type !== 'json-schema') return undefined;
  const jsonSchema: JsonObject = { schema: JSON.stringify(format.schema) };
  if (format.name !== undefined) jsonSchema['name'] = format.name;
  if (format.description !== undefined) jsonSchema['description'] = format.description;
  return { textFormat: { type: 'json_schema', structure: { jsonSchema } } };
}
