/** The canonical response as a Claude Messages response body for a Claude client. */
import { argumentsObject } from '../../../../canonical/tool-arguments';
import type { EncodeResponseContext } from '../../../../canonical/codec';
import type { CanonicalResponse } from '../../../../canonical/response';
import type { JsonObject } from '../../../../json-access';
import {
  claudeMessageId,
  isNativeReasoning,
  nativeReasoningBlock,
  sealedReasoningBlock,
  sealedToolSignatureBlock,
} from './client-opaque';
import { encodeUsage } from './encode-usage';
import { encodeStopReason } from './stop-reason';

export function encodeClaudeResponse(
  response: CanonicalResponse,
  context: EncodeResponseContext,
): Record<string, unknown> {
  const { warnings, sourceWire } = context;
  const content: JsonObject[] = [];
  for (const part of response.parts) {
    switch (part.type) {
      case 'text':
        // Gemini signs some text parts; Claude clients have no slot for that (only calls need it back).
        if (part.thoughtSignature !== undefined) warnings.add('dropped', 'content.thoughtSignature');
        content.push({ type: 'text', text: part.text });
        break;
      case 'reasoning':
        content.push(
          isNativeReasoning(part, sourceWire)
            ? nativeReasoningBlock(part)
            : sealedReasoningBlock(part, sourceWire),
        );
        break;
      case 'tool-call':
        if (part.thoughtSignature !== undefined)
          content.push(sealedToolSignatureBlock(part.id, part.thoughtSignature));
        content.push({
          type: 'tool_use',
          id: part.id,
          name: part.name,
          input: argumentsObject(part.arguments, warnings, 'content.tool_use.input'),
        });
        break;
    }
  }
  const stop = encodeStopReason(response.finishReason, response.stopSequence, warnings);
  return {
    id: claudeMessageId(response.id, context.requestId),
    type: 'message',
    role: 'assistant',
    model: context.model,
    content,
    stop_reason: stop.stop_reason,
    stop_sequence: stop.stop_sequence,
    usage: encodeUsage(response.usage, context.warnings),
  };
}
