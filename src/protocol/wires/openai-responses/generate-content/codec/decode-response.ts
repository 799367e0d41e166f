/** A Responses `response` object (non-streamed answer of an OpenAI upstream) as a canonical response. */
import { GatewayError } from '../../../../../core/errors';
import type { DecodeResponseContext } from '../../../../canonical/codec';
import type { OutputPart } from '../../../../canonical/parts';
import type { CanonicalResponse } from '../../../../canonical/response';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { arrayAt, asObject, numberAt, objectAt, stringAt } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { responsesUsageFromResponse } from '../usage';
import { decodeContent } from './content';
import { finishFromResponse } from './finish';
import { functionCall, nativeReasoning } from './items';

export function decodeResponse(body: unknown, context: DecodeResponseContext): CanonicalResponse {
  const response = asObject(body);
  if (!response) throw new GatewayError('upstream_bad_response', 'The upstream answer is not a JSON object');
  throwIfFailed(response);
  const parts = decodeOutput(response, context.warnings);
  const canonical: CanonicalResponse = {
    id: stringAt(response, 'id') ?? '',
    model: stringAt(response, 'model') ?? '',
    parts,
    finishReason: finishFromResponse(
      response,
      parts.some((part) => part.type === 'tool-call'),
      parts.some((part) => part.type === 'text' && part.refusal === true),
    ),
  };
  const created = numberAt(response, 'created_at');
  if (created !== undefined) canonical.created = created;
  const usage = responsesUsageFromResponse(response);
  if (usage) canonical.usage = usage;
  return canonical;
}

/** An error envelope, or a response that failed, is an upstream error, not an answer. */
function throwIfFailed(response: JsonObject): void {
  const error = objectAt(response, 'error');
  const status = stringAt(response, 'status');
  if (error === undefined && status !== 'failed') return;
  const message = stringAt(error, 'message') ?? 'The upstream response failed';
  throw new GatewayError('upstream_error', message);
}

export function decodeOutput(response: JsonObject, warnings: TransformWarnings): OutputPart[] {
  const parts: OutputPart[] = [];
  (arrayAt(response, 'output') ?? []).forEach((value, index) => {
    const item = asObject(value);
    if (!item) return;
    const path = `output[${index}]`;
    const type = stringAt(item, 'type');
    switch (type) {
      case 'reasoning':
        parts.push(nativeReasoning(item));
        return;
      case 'function_call':
        parts.push(functionCall(item));
        return;
      case 'message':
        for (const part of decodeContent(item['content'], `${path}.content`, warnings)) {
          if (part.type === 'text') parts.push(part);
          else warnings.add('dropped', `${path}.content`, `${part.type} in a message`);
        }
        return;
      default:
        warnings.add('unsupported', path, `output item type ${type ?? 'missing'}`);
    }
  });
  return parts;
}
