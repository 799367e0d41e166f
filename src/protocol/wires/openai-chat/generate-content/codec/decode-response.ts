/** A `chat.completion` body as a canonical response. */
import { GatewayError } from '../../../../../core/errors';
import type { DecodeResponseContext } from '../../../../canonical/codec';
import type { OutputPart } from '../../../../canonical/parts';
import type { CanonicalResponse } from '../../../../canonical/response';
import { asArray, asNumber, asObject, asString, objectAt } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { chatUsageFromResponse } from '../usage';
import { decodeToolCalls } from './decode-tool-calls';
import { decodeFinishReason } from './finish-reason';

/** An `{"error": {...}}` body (some compatible upstreams answer errors with status 200). */
export function upstreamErrorOf(body: JsonObject): GatewayError | undefined {
  const error = body['error'];
  if (error === undefined || error === null) return undefined;
  const message =
    asString(asObject(error)?.['message']) ?? asString(error) ?? 'The upstream reported an error';
  return new GatewayError('upstream_error', message);
}

function decodeMessage(message: JsonObject, context: DecodeResponseContext): OutputPart[] {
  const { warnings } = context;
  const parts: OutputPart[] = [];
  const reasoning = asString(message['reasoning_content']) ?? asString(message['reasoning']);
  if (reasoning) parts.push({ type: 'reasoning', text: reasoning });
  const content = asString(message['content']);
  if (content) parts.push({ type: 'text', text: content });
  const refusal = asString(message['refusal']);
  if (refusal) parts.push({ type: 'text', text: refusal, refusal: true });
  parts.push(...decodeToolCalls(message, 'choices[0].message', 'call_0', parts.length, warnings));
  if (objectAt(message, 'audio')) warnings.add('dropped', 'choices[0].message.audio');
  const annotations = asArray(message['annotations']);
  if (annotations && annotations.length > 0) warnings.add('dropped', 'choices[0].message.annotations');
  return parts;
}

export function decodeResponse(body: unknown, context: DecodeResponseContext): CanonicalResponse {
  const object = asObject(body);
  if (!object) throw new GatewayError('upstream_bad_response', 'The upstream answer is not a JSON object');
  const error = upstreamErrorOf(object);
  if (error) throw error;
  const choices = asArray(object['choices']) ?? [];
  const choice = asObject(choices.find((item) => (asObject(item)?.['index'] ?? 0) === 0) ?? choices[0]);
  if (!choice) throw new GatewayError('upstream_bad_response', 'The upstream answer has no choices');
  if (choices.length > 1) context.warnings.add('dropped', 'choices[1]', 'only the first choice is kept');
  const parts = decodeMessage(objectAt(choice, 'message') ?? {}, context);
  const response: CanonicalResponse = {
    id: asString(object['id']) ?? '',
    model: asString(object['model']) ?? '',
    parts,
    finishReason: decodeFinishReason(
      choice['finish_reason'],
      parts.some((part) => part.type === 'tool-call'),
      parts.some((part) => part.type === 'text' && part.refusal === true),
    ),
  };
  const created = asNumber(object['created']);
  if (created !== undefined) response.created = created;
  const usage = chatUsageFromResponse(object);
  if (usage !== undefined) response.usage = usage;
  return response;
}
