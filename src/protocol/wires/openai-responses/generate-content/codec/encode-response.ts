/** A canonical response as a Responses `response` object for the client. */
import type { EncodeResponseContext } from '../../../../canonical/codec';
import type { CanonicalResponse } from '../../../../canonical/response';
import type { JsonObject } from '../../../../json-access';
import { statusForFinish } from './finish';
import type { ItemStatus } from './output-items';
import {
  functionCallItem,
  itemId,
  messageItem,
  reasoningItem,
  reasoningState,
  textContent,
  toolSignatureItem,
} from './output-items';
import { responseId, responseObject } from './response-object';

export function encodeResponse(
  response: CanonicalResponse,
  context: EncodeResponseContext,
): Record<string, unknown> {
  const { warnings, requestId, sourceWire } = context;
  const status = statusForFinish(response.finishReason, warnings);
  const messageStatus: ItemStatus = status.status === 'completed' ? 'completed' : 'incomplete';
  const output: JsonObject[] = [];
  // Consecutive text parts share one message item, as OpenAI answers them.
  let content: JsonObject[] | undefined;
  response.parts.forEach((part, index) => {
    if (part.type === 'text') {
      if (content === undefined) {
        content = [];
        output.push(messageItem(itemId('msg', requestId, output.length), content, messageStatus));
      }
      content.push(textContent(part));
      if (part.thoughtSignature !== undefined) {
        // The sealed-state kinds cover reasoning and function-call signatures only.
        warnings.add('dropped', `parts[${index}].thoughtSignature`, 'signature of a text part');
      }
      return;
    }
    content = undefined;
    if (part.type === 'reasoning') {
      const state = reasoningState(part, sourceWire, itemId('rs', requestId, output.length));
      output.push(reasoningItem(state.id, part.text, state.encryptedContent));
      return;
    }
    if (part.thoughtSignature !== undefined) {
      output.push(toolSignatureItem(itemId('rs', requestId, output.length), part.id, part.thoughtSignature));
    }
    output.push(functionCallItem(itemId('fc', requestId, output.length), part, 'completed'));
  });
  return responseObject({
    id: responseId(response.id, requestId),
    createdAt: response.created ?? context.nowSeconds,
    model: context.model,
    output,
    usage: response.usage,
    status,
  });
}
