/** Tool-call arguments: canonical JSON text <-> Gemini's `args` object. */
import { newId } from '../../../../../core/ids';
import type { TransformWarnings } from '../../../../canonical/warnings';
import { asObject } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';

export function argsToText(args: unknown): string {
  return JSON.stringify(asObject(args) ?? {});
}

/** Gemini wants an object; text that is not a JSON object becomes `{}` (warned; empty text is just "no arguments"). */
export function textToArgs(text: string, warnings: TransformWarnings, path: string): JsonObject {
  if (text.trim() === '') return {};
  try {
    const parsed = asObject(JSON.parse(text));
    if (parsed) return parsed;
  } catch {
    // Falls through to the warning below.
  }
  warnings.add('approximated', path, 'arguments are not a JSON object; sent as {}');
  return {};
}

/**
 * The scope of ids for functionCalls that came without one (Gemini often omits them). Ids must be
 * unique in the conversation (Claude rejects repeated tool_use ids), so they carry the response id,
 * or a random value when the response has none.
 */
export function callIdScope(responseId: string): string {
  const scope = responseId.replace(/[^A-Za-z0-9_-]/g, '');
  return scope !== '' ? scope : newId().replace(/-/g, '').slice(0, 16);
}

export function generatedCallId(scope: string, index: number): string {
  return `call_${scope}_${index}`;
}
