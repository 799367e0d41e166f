/**
 * The canonical response as a Converse response body. Production never answers a client in
 * Converse (decision 0009); this builds the upstream's side for tests and the fake upstream.
 */
import type { EncodeResponseContext } from '../../../../canonical/codec';
import type { OutputPart } from '../../../../canonical/parts';
import type { CanonicalResponse } from '../../../../canonical/response';
import { argumentsObject } from '../../../../canonical/tool-arguments';
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';
import { encodeStopReason } from './stop-reason';
import { encodeUsage } from './usage';

export function encodeConverseResponse(
  response: CanonicalResponse,
  context: EncodeResponseContext,
): Record<string, unknown> {
  const { warnings } = context;
  const content = response.parts.flatMap((part) => encodeOutputPart(part, warnings));
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: encodeStopReason(response.finishReason, response.stopSequence, warnings),
    usage: encodeUsage(response.usage, warnings),
    metrics: { latencyMs: 0 },
  };
}

export function encodeOutputPart(part: OutputPart, warnings: TransformWarnings): JsonObject[] {
  switch (part.type) {
    case 'text':
      return [{ text: part.text }];
    case 'reasoning':
      if (part.redactedData !== undefined)
        return [{ reasoningContent: { redactedContent: part.redactedData } }];
      return [
        {
          reasoningContent: {
            reasoningText:
              part.signature === undefined
                ? { text: part.text }
                : { text: part.text, signature: part.signature },
          },
        },
      ];
    case 'tool-call':
      return [
        {
          toolUse: {
            toolUseId: part.id,
            name: part.name,
            input: argumentsObject(part.arguments, warnings, 'output.message.content.toolUse.input'),
          },
        },
      ];
  }
}
