/**
 * Carrying one provider's opaque turn state through a client of another wire.
 *
 * A provider may need state back on the next turn: Claude thinking signatures and redacted
 * thinking, OpenAI encrypted reasoning items, Gemini thoughtSignatures. A client echoes back only
 * what its own wire has a slot for, so the encoder seals foreign state into that slot and the
 * client's request decoder opens it on the next turn:
 *
 * | client wire | slot that carries sealed state |
 * | --- | --- |
 * | claude | a `thinking` block's `signature` (foreign reasoning, and Gemini tool-call signatures) |
 * | gemini | a part's `thoughtSignature` (foreign reasoning of the turn, on its first functionCall part, else its last part) |
 * | openai-responses | a `reasoning` item's `encrypted_content` |
 * | openai-chat | none: reasoning text goes out as `reasoning_content`; opaque state is dropped with a warning |
 *
 * Sealed values start with `gpx1.` followed by base64url(JSON). They are not secret: the
 * upstream validates its own signatures, so tampering only makes the upstream reject the turn.
 */
import type { ReasoningPart } from './parts';

/** Every sealed value starts with this; a request body without it carries no foreign state. */
export const SEALED_PREFIX = 'gpx1.';

/** What a sealed value holds. */
export type SealedState =
  | { t: 'reasoning'; parts: ReasoningPart[] }
  /** A Gemini thoughtSignature that belonged to the tool call with this id. */
  | { t: 'tool-signature'; callId: string; signature: string };

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}

export function seal(state: SealedState): string {
  return SEALED_PREFIX + toBase64Url(JSON.stringify(state));
}

/** Opens a sealed value; undefined when it is not one of ours or is damaged. */
export function unseal(value: string): SealedState | undefined {
  if (!isSealed(value)) return undefined;
  try {
    const parsed = JSON.parse(fromBase64Url(value.slice(SEALED_PREFIX.length))) as SealedState;
    if (parsed.t === 'reasoning' && Array.isArray(parsed.parts)) return parsed;
    if (
      parsed.t === 'tool-signature' &&
      typeof parsed.callId === 'string' &&
      typeof parsed.signature === 'string'
    ) {
      return parsed;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(value: string): string {
  const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return decoder.decode(bytes);
}
