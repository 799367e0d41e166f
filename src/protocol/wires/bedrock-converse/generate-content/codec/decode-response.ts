/** A Converse response body (`output.message`, `stopReason`, `usage`) to the canonical response. */
import { GatewayError } from '../../../../../core/errors';
import type { DecodeResponseContext } from '../../../../canonical/codec';
import type { OutputPart } from '../../../../canonical/parts';
import type { CanonicalResponse } from '../../../../canonical/response';
import { arrayAt, asObject, objectAt, stringAt } from '../../../../json-access';
import { decodeBlocks } from './decode-blocks';
import { decodeStopReason } from './stop-reason';
import { decodeUsage } from './usage';

export function decodeConverseResponse(body: unknown, context: DecodeResponseContext): CanonicalResponse {
  const response = asObject(body);
  const message = objectAt(objectAt(response, 'output'), 'message');
  const content = arrayAt(message, 'content');
  if (!response || !content) {
    // Error answers are `{"message": …}` with the exception name in a header, never a 2xx.
    const text = stringAt(response, 'message');
    if (text !== undefined) throw new GatewayError('upstream_error', text, { cause: body });
    throw new GatewayError('upstream_bad_response', 'Converse response without output.message.content');
  }
  const parts: OutputPart[] = [];
  for (const part of decodeBlocks(content, 'output.message.content', context.warnings)) {
    if (part.type === 'text' || part.type === 'reasoning' || part.type === 'tool-call') parts.push(part);
    else context.warnings.add('unsupported', 'output.message.content', `${part.type} in a response`);
  }
  // Converse answers carry no id or model name: the client's encoder makes up its own id.
  const decoded: CanonicalResponse = {
    id: '',
    model: '',
    parts,
    finishReason: decodeStopReason(response['stopReason']),
  };
  const usage = decodeUsage(response['usage']);
  if (usage) decoded.usage = usage;
  return decoded;
}
