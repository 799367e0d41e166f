/** A Claude Messages response body to the canonical response. */
import { GatewayError } from '../../../../../core/errors';
import type { DecodeResponseContext } from '../../../../canonical/codec';
import type { OutputPart } from '../../../../canonical/parts';
import type { CanonicalResponse } from '../../../../canonical/response';
import { arrayAt, asObject, objectAt, stringAt } from '../../../../json-access';
import { claudeUsageFromResponse } from '../usage';
import { decodeContent } from './decode-blocks';
import { createDecodeState } from './decode-state';
import { decodeStopReason } from './stop-reason';

export function decodeClaudeResponse(body: unknown, context: DecodeResponseContext): CanonicalResponse {
  const message = asObject(body);
  if (stringAt(message, 'type') === 'error') {
    const error = objectAt(message, 'error');
    throw new GatewayError('upstream_error', stringAt(error, 'message') ?? 'Upstream error', {
      cause: body,
    });
  }
  const content = arrayAt(message, 'content');
  if (!message || !content) {
    throw new GatewayError('upstream_bad_response', 'Claude response without a content array');
  }
  const parts: OutputPart[] = [];
  // Response blocks are a subset of request blocks; anything not an output part is reported there.
  for (const part of decodeContent(content, 'content', createDecodeState(context.warnings))) {
    if (part.type === 'text' || part.type === 'reasoning' || part.type === 'tool-call') parts.push(part);
    else context.warnings.add('unsupported', 'content', `${part.type} in a response`);
  }
  const stop = decodeStopReason(message['stop_reason'], message['stop_sequence']);
  const response: CanonicalResponse = {
    id: stringAt(message, 'id') ?? '',
    model: stringAt(message, 'model') ?? '',
    parts,
    finishReason: stop.reason,
  };
  if (stop.stopSequence !== undefined) response.stopSequence = stop.stopSequence;
  const usage = claudeUsageFromResponse(message);
  if (usage) response.usage = usage;
  return response;
}
