/**
 * Output items of a Responses answer made from canonical parts. Another provider's reasoning state
 * (and Gemini's thoughtSignature on a function call) is sealed into a reasoning item's
 * `encrypted_content`, the slot Responses clients send back on the next turn (canonical/opaque.ts).
 */
import { seal } from '../../../../canonical/opaque';
import type { ReasoningPart, TextPart, ToolCallPart } from '../../../../canonical/parts';
import type { UpstreamWireKind } from '../../../../operation';
import type { JsonObject } from '../../../../json-access';

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

/** Ids of items gproxy makes up: unique per request, stable within it. */
export function itemId(prefix: 'msg' | 'fc' | 'rs', requestId: string, outputIndex: number): string {
  return `${prefix}_${requestId}_${outputIndex}`;
}

export function isNativeReasoning(part: ReasoningPart, sourceWire: UpstreamWireKind): boolean {
  return (part.origin ?? sourceWire) === 'openai-responses';
}

/** The id and `encrypted_content` of a reasoning item: native values, or the sealed foreign part. */
export function reasoningState(
  part: ReasoningPart,
  sourceWire: UpstreamWireKind,
  fallbackId: string,
): { id: string; encryptedContent: string | undefined } {
  if (isNativeReasoning(part, sourceWire)) {
    return { id: part.itemId ?? fallbackId, encryptedContent: part.encryptedContent };
  }
  const foreign: ReasoningPart = { ...part, origin: part.origin ?? sourceWire };
  return { id: fallbackId, encryptedContent: seal({ t: 'reasoning', parts: [foreign] }) };
}

export function summaryOf(text: string): JsonObject[] {
  return text === '' ? [] : [{ type: 'summary_text', text }];
}

export function reasoningItem(id: string, text: string, encryptedContent: string | undefined): JsonObject {
  const item: JsonObject = { id, type: 'reasoning', summary: summaryOf(text) };
  if (encryptedContent !== undefined) item['encrypted_content'] = encryptedContent;
  return item;
}

/** A Gemini thoughtSignature of a function call, carried in a reasoning item placed before the call. */
export function toolSignatureItem(id: string, callId: string, signature: string): JsonObject {
  return reasoningItem(id, '', seal({ t: 'tool-signature', callId, signature }));
}

export function textContent(part: Pick<TextPart, 'text' | 'refusal'>): JsonObject {
  return part.refusal
    ? { type: 'refusal', refusal: part.text }
    : { type: 'output_text', text: part.text, annotations: [] };
}

export function messageItem(id: string, content: JsonObject[], status: ItemStatus): JsonObject {
  return { id, type: 'message', status, role: 'assistant', content };
}

export function functionCallItem(
  id: string,
  call: Omit<ToolCallPart, 'type'>,
  status: ItemStatus,
): JsonObject {
  return {
    id,
    type: 'function_call',
    status,
    arguments: call.arguments,
    call_id: call.id,
    name: call.name,
  };
}
