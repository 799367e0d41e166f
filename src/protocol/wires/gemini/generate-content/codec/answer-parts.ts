/**
 * Canonical answer parts -> Gemini parts for a Gemini client. Reasoning of another provider is shown
 * as thought parts, and its opaque state is sealed (canonical/opaque.ts) into a thoughtSignature the
 * client echoes back: the first functionCall's, else the last part's.
 */
import { argumentsObject } from '../../../../canonical/tool-arguments';
import { seal } from '../../../../canonical/opaque';
import type { OutputPart, ReasoningPart } from '../../../../canonical/parts';
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';

/** Reasoning whose opaque state only its own provider can use, and so must travel sealed. */
export function needsSeal(part: ReasoningPart): boolean {
  if (part.origin === undefined || part.origin === 'gemini') return false;
  return (
    part.signature !== undefined ||
    part.redactedData !== undefined ||
    part.encryptedContent !== undefined ||
    part.itemId !== undefined
  );
}

/** The thought part a Gemini client shows for a reasoning part (undefined when there is nothing to show). */
export function thoughtPart(part: ReasoningPart): JsonObject | undefined {
  if (part.origin === 'gemini') {
    if (part.text === '' && part.signature === undefined) return undefined;
    return {
      text: part.text,
      thought: true,
      ...(part.signature ? { thoughtSignature: part.signature } : {}),
    };
  }
  return part.text === '' ? undefined : { text: part.text, thought: true };
}

export function functionCallPart(
  id: string,
  name: string,
  args: string,
  signature: string | undefined,
  warnings: TransformWarnings,
): JsonObject {
  return {
    functionCall: { id, name, args: argumentsObject(args, warnings, 'parts[].arguments') },
    ...(signature !== undefined ? { thoughtSignature: signature } : {}),
  };
}

export function encodeAnswerParts(parts: OutputPart[], warnings: TransformWarnings): JsonObject[] {
  const out: JsonObject[] = [];
  const sealed: ReasoningPart[] = [];
  for (const part of parts) {
    if (part.type === 'text') {
      // A TextPart's thoughtSignature is Gemini's own by definition, whatever the source wire.
      if (part.text !== '' || part.thoughtSignature !== undefined) {
        out.push({
          text: part.text,
          ...(part.thoughtSignature ? { thoughtSignature: part.thoughtSignature } : {}),
        });
      }
    } else if (part.type === 'reasoning') {
      if (needsSeal(part)) sealed.push(part);
      const shown = thoughtPart(part);
      if (shown) out.push(shown);
    } else {
      out.push(functionCallPart(part.id, part.name, part.arguments, part.thoughtSignature, warnings));
    }
  }
  if (sealed.length > 0) sealInto(out, seal({ t: 'reasoning', parts: sealed }));
  return out;
}

/** Puts a sealed value on the first functionCall, else the last part, else a new empty text part. */
export function sealInto(parts: JsonObject[], value: string): void {
  const free = (p: JsonObject | undefined): p is JsonObject =>
    p !== undefined && p['thoughtSignature'] === undefined;
  const firstCall = parts.find((p) => p['functionCall'] !== undefined);
  const last = parts[parts.length - 1];
  const carrier = free(firstCall)
    ? firstCall
    : free(last) && last['functionCall'] === undefined
      ? last
      : undefined;
  if (carrier) carrier['thoughtSignature'] = value;
  else parts.push({ text: '', thoughtSignature: value });
}
