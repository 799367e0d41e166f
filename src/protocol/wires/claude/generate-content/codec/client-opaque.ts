/**
 * Opaque state in answers for a Claude client (canonical/opaque.ts). Claude's own thinking goes out
 * natively; anything else is sealed into the one slot Claude clients echo back unchanged, a
 * thinking block's `signature`, and opened again by decodeRequest on the next turn.
 */
import type { UpstreamWireKind } from '../../../../operation';
import { seal } from '../../../../canonical/opaque';
import type { ReasoningPart } from '../../../../canonical/parts';
import type { JsonObject } from '../../../../json-access';

/** Reasoning Claude signed (or redacted) itself, which a Claude client can send back as is. */
export function isNativeReasoning(part: ReasoningPart, sourceWire: UpstreamWireKind): boolean {
  const origin = part.origin ?? sourceWire;
  return origin === 'claude' && (part.signature !== undefined || part.redactedData !== undefined);
}

export function nativeReasoningBlock(part: ReasoningPart): JsonObject {
  if (part.redactedData !== undefined) return { type: 'redacted_thinking', data: part.redactedData };
  return { type: 'thinking', thinking: part.text, signature: part.signature ?? '' };
}

/** The sealed part keeps its origin so the request decoder restores exactly what came in. */
export function sealReasoning(part: ReasoningPart, sourceWire: UpstreamWireKind): string {
  const origin = part.origin ?? sourceWire;
  return seal({ t: 'reasoning', parts: [{ ...part, origin }] });
}

export function sealedReasoningBlock(part: ReasoningPart, sourceWire: UpstreamWireKind): JsonObject {
  return { type: 'thinking', thinking: part.text, signature: sealReasoning(part, sourceWire) };
}

export function sealToolSignature(callId: string, signature: string): string {
  return seal({ t: 'tool-signature', callId, signature });
}

/** A Gemini tool-call thoughtSignature, carried by an empty thinking block before its tool_use. */
export function sealedToolSignatureBlock(callId: string, signature: string): JsonObject {
  return { type: 'thinking', thinking: '', signature: sealToolSignature(callId, signature) };
}

/** Claude message ids look like `msg_…`; anything else gets one made from the gateway request id. */
export function claudeMessageId(id: string, requestId: string): string {
  return id.startsWith('msg_') ? id : `msg_${requestId}`;
}
