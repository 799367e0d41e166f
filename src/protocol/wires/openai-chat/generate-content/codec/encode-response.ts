/** A canonical response as a `chat.completion` body for a Chat Completions client. */
import type { EncodeResponseContext } from '../../../../canonical/codec';
import type { CanonicalResponse } from '../../../../canonical/response';
import type { JsonObject } from '../../../../json-access';
import { encodeFinishReason } from './finish-reason';
import { encodeUsage } from './encode-usage';
import { reportOpaqueState } from './opaque-state';

/** The upstream id when it already looks like a Chat Completions id, else one made from the request id. */
export function completionId(id: string, requestId: string): string {
  return id.startsWith('chatcmpl-') ? id : `chatcmpl-${requestId}`;
}

export function encodeResponse(
  response: CanonicalResponse,
  context: EncodeResponseContext,
): Record<string, unknown> {
  const { warnings } = context;
  let content: string | null = null;
  let refusal: string | null = null;
  let reasoning: string | undefined;
  const toolCalls: JsonObject[] = [];
  for (const part of response.parts) {
    reportOpaqueState(part, warnings);
    if (part.type === 'text') {
      if (part.refusal === true) refusal = (refusal ?? '') + part.text;
      else content = (content ?? '') + part.text;
    } else if (part.type === 'reasoning') {
      if (part.text !== '') reasoning = (reasoning ?? '') + part.text;
    } else {
      toolCalls.push({
        id: part.id,
        type: 'function',
        function: { name: part.name, arguments: part.arguments },
      });
    }
  }
  // A refusal from a wire without refusal parts (Claude's stop_reason `refusal`) is plain text:
  // Chat clients look for it in `refusal`.
  if (response.finishReason === 'refusal' && refusal === null && content !== null) {
    refusal = content;
    content = null;
  }
  const message: JsonObject = { role: 'assistant', content, refusal };
  // Not part of OpenAI's schema, but the field DeepSeek-style clients read reasoning text from.
  if (reasoning !== undefined) message['reasoning_content'] = reasoning;
  if (toolCalls.length > 0) message['tool_calls'] = toolCalls;
  message['annotations'] = [];
  const body: JsonObject = {
    id: completionId(response.id, context.requestId),
    object: 'chat.completion',
    created: response.created ?? context.nowSeconds,
    model: context.model,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: encodeFinishReason(response.finishReason, warnings),
      },
    ],
  };
  if (response.usage !== undefined) body['usage'] = encodeUsage(response.usage);
  return body;
}
