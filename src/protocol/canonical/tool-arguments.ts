/**
 * Canonical tool-call arguments are JSON text; Claude (`input`) and Gemini (`args`) want an object
 * and reject anything else, so text that does not parse to one is sent as `{}` and reported.
 */
import { asObject } from '../json-access';
import type { JsonObject } from '../json-access';
import type { TransformWarnings } from './warnings';

/** The arguments text as an object: `{}` for empty text (no arguments), and warned `{}` for a non-object. */
export function argumentsObject(text: string, warnings: TransformWarnings, field: string): JsonObject {
  if (text.trim() === '') return {};
  try {
    const object = asObject(JSON.parse(text));
    if (object) return object;
  } catch {
    // Reported below like any other non-object.
  }
  warnings.add('approximated', field, 'tool arguments are not a JSON object; sent as {}');
  return {};
}
