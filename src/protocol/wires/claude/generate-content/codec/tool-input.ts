/**
 * Tool arguments: canonical JSON text on one side, Claude's `input` object on the other. Claude
 * rejects a `tool_use` whose input is not an object, so text that does not parse to one is sent as
 * `{}` and reported.
 */
import { asObject } from '../../../../json-access';
import type { TransformWarnings } from '../../../../canonical/warnings';

export function toolInputFromArguments(
  text: string,
  warnings: TransformWarnings,
  field: string,
): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const object = asObject(JSON.parse(text));
    if (object) return object;
  } catch {
    // Reported below like any other non-object.
  }
  warnings.add('approximated', field, 'tool arguments are not a JSON object; sent {}');
  return {};
}

export function argumentsFromToolInput(input: unknown): string {
  return JSON.stringify(input ?? {});
}
