/**
 * Applying selected rules (compile-rules.ts) to an upstream request and to the client's answer.
 * The body is parsed and re-serialized only when a body edit applies: without one, passthrough
 * keeps sending the client's text as received (decision 0003).
 */
import { applyBodyEdit } from './json-pointer-edit';
import type { BodyEdit, HeaderEdit } from './rule-types';

/** The body text after the edits; unchanged (the same string) when none changed anything. */
export function applyBodyRules(bodyText: string, edits: readonly BodyEdit[]): string {
  if (edits.length === 0) return bodyText;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    // Not JSON (cannot happen for the wires gproxy sends): nothing to address.
    return bodyText;
  }
  let changed = false;
  for (const edit of edits) changed = applyBodyEdit(body, edit) || changed;
  return changed ? JSON.stringify(body) : bodyText;
}

/** The key holding header `name` (lower-case), whatever its case in `headers`. */
function keyOf(headers: Record<string, string>, name: string): string | undefined {
  if (Object.hasOwn(headers, name)) return name;
  return Object.keys(headers).find((key) => key.toLowerCase() === name);
}

/** Applies header edits to `headers` in place. */
export function applyHeaderRules(headers: Record<string, string>, edits: readonly HeaderEdit[]): void {
  for (const edit of edits) {
    const key = keyOf(headers, edit.name);
    if (edit.kind === 'remove') {
      if (key !== undefined) delete headers[key];
    } else if (key === undefined || edit.kind === 'set') {
      // defineProperty: a header named `__proto__` is an ordinary key, not the prototype.
      Object.defineProperty(headers, key ?? edit.name, {
        value: edit.value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  }
}
