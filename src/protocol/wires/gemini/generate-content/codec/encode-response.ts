/** The canonical response -> a Gemini GenerateContentResponse for a Gemini client. */
import type { EncodeResponseContext } from '../../../../canonical/codec';
import type { CanonicalResponse } from '../../../../canonical/response';
import type { JsonObject } from '../../../../json-access';
import { encodeAnswerParts } from './answer-parts';
import { encodeFinishReason } from './finish-reason';
import { encodeUsageMetadata } from './usage-metadata';

export function encodeResponse(
  response: CanonicalResponse,
  context: EncodeResponseContext,
): Record<string, unknown> {
  const { warnings } = context;
  const candidate: JsonObject = {
    content: { role: 'model', parts: encodeAnswerParts(response.parts, warnings) },
    finishReason: encodeFinishReason(response.finishReason, warnings),
    index: 0,
  };
  const body: JsonObject = { candidates: [candidate] };
  if (response.usage) body['usageMetadata'] = encodeUsageMetadata(response.usage, context.warnings);
  body['modelVersion'] = context.model;
  body['responseId'] = responseIdFor(response.id, context);
  return body;
}

/** Gemini's own response id when the answer came from Gemini; otherwise the gateway request id. */
export function responseIdFor(
  id: string,
  context: Pick<EncodeResponseContext, 'sourceWire' | 'requestId'>,
): string {
  return context.sourceWire === 'gemini' && id !== '' ? id : context.requestId;
}
