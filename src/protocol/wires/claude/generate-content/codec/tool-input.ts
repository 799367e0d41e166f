/** Tool arguments read from Claude's `input` object (written to it by canonical/tool-arguments). */

export function argumentsFromToolInput(input: unknown): string {
  return JSON.stringify(input ?? {});
}
