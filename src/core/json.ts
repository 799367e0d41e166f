/**
 * JSON helpers for the hot path. The top-level field scanner lets passthrough rewrite one string
 * field (the model) in a request body without re-serializing it, so everything else reaches the
 * upstream byte for byte (key order, number formatting, unknown fields).
 */

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: string };

export function tryParseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export interface TextSpan {
  /** Index of the opening quote. */
  start: number;
  /** Index just after the closing quote. */
  end: number;
}

interface FieldValue {
  span: TextSpan;
  isString: boolean;
}

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const COMMA = 44;

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function skipWhitespace(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just after the string starting at `pos` (a quote), or -1 when it is unterminated. */
function skipString(text: string, pos: number): number {
  let i = pos + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote === -1) return -1;
    let backslashes = 0;
    for (let j = quote - 1; j > pos && text.charCodeAt(j) === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** Index just after the value starting at `pos`, or -1 when the text ends first. */
function skipValue(text: string, pos: number): number {
  const first = text.charCodeAt(pos);
  if (first === QUOTE) return skipString(text, pos);
  if (first !== 123 && first !== 91) {
    // A number, true, false or null: it runs to the next delimiter.
    let i = pos;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === COMMA || code === 125 || code === 93 || isWhitespace(code)) break;
      i++;
    }
    return i === pos ? -1 : i;
  }
  let depth = 0;
  let i = pos;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = skipString(text, i);
      if (i === -1) return -1;
      continue;
    }
    if (code === 123 || code === 91) depth++;
    else if (code === 125 || code === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

function keyEquals(text: string, start: number, end: number, key: string): boolean {
  const raw = text.slice(start + 1, end - 1);
  if (!raw.includes('\\')) return raw === key;
  // An escaped key (`"mod\u0065l"`) means the same key to every JSON parser.
  try {
    return JSON.parse(text.slice(start, end)) === key;
  } catch {
    return false;
  }
}

/** Every top-level occurrence of `key` in a JSON object text, or undefined if the text is not one. */
function scanTopLevel(text: string, key: string): FieldValue[] | undefined {
  let i = skipWhitespace(text, 0);
  if (text.charCodeAt(i) !== 123) return undefined;
  i = skipWhitespace(text, i + 1);
  const found: FieldValue[] = [];
  if (text.charCodeAt(i) === 125) return found;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = skipString(text, i);
    if (keyEnd === -1) return undefined;
    const matches = keyEquals(text, i, keyEnd, key);
    i = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return undefined;
    i = skipWhitespace(text, i + 1);
    const valueEnd = skipValue(text, i);
    if (valueEnd === -1) return undefined;
    if (matches) found.push({ span: { start: i, end: valueEnd }, isString: text.charCodeAt(i) === QUOTE });
    i = skipWhitespace(text, valueEnd);
    const next = text.charCodeAt(i);
    if (next === 125) return found;
    if (next !== COMMA) return undefined;
    i = skipWhitespace(text, i + 1);
  }
}

/**
 * The span of the string value of a top-level `key` (quotes included), or undefined when the key is
 * absent, its value is not a string, or the text is not a JSON object. With duplicate keys the last
 * one is reported, as JSON.parse would read it.
 */
export function findTopLevelStringField(text: string, key: string): TextSpan | undefined {
  const found = scanTopLevel(text, key);
  const last = found?.[found.length - 1];
  return last?.isString ? last.span : undefined;
}

/**
 * The span of the value of a top-level `key`, whatever its type, or undefined when the key is
 * absent or the text is not a JSON object. With duplicate keys the last one is reported, as
 * JSON.parse would read it. Only the structure is checked, not every value: parse the span.
 *
 * Answers carry their usage near the end, so the key is first looked for from the end: an
 * occurrence followed by `: value` and then only further members up to the root's closing brace is
 * a member of the root object (in a JSON text only the root closes at the last brace). The text
 * before it is then not scanned at all. Otherwise (an escaped key, say) the whole object is scanned.
 */
export function findTopLevelField(text: string, key: string): TextSpan | undefined {
  const token = JSON.stringify(key);
  let at = text.lastIndexOf(token);
  while (at > 0) {
    if (!isEscaped(text, at)) {
      const span = lastMemberValue(text, at + token.length);
      if (span !== undefined) return span;
    }
    at = text.lastIndexOf(token, at - 1);
  }
  const found = scanTopLevel(text, key);
  return found?.[found.length - 1]?.span;
}

/** Whether the quote at `pos` is escaped (preceded by an odd number of backslashes). */
function isEscaped(text: string, pos: number): boolean {
  let backslashes = 0;
  for (let j = pos - 1; j >= 0 && text.charCodeAt(j) === BACKSLASH; j--) backslashes++;
  return backslashes % 2 === 1;
}

/**
 * For a key ending at `pos`: the span of its value when the key is followed by `: value`, then only
 * further `, "key": value` members, the closing brace and the end of the text; else undefined.
 */
function lastMemberValue(text: string, pos: number): TextSpan | undefined {
  let i = skipWhitespace(text, pos);
  if (text.charCodeAt(i) !== COLON) return undefined;
  const start = skipWhitespace(text, i + 1);
  const end = skipValue(text, start);
  if (end === -1) return undefined;
  i = skipWhitespace(text, end);
  for (;;) {
    const next = text.charCodeAt(i);
    if (next === 125) return skipWhitespace(text, i + 1) === text.length ? { start, end } : undefined;
    if (next !== COMMA) return undefined;
    i = skipWhitespace(text, i + 1);
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    i = skipString(text, i);
    if (i === -1) return undefined;
    i = skipWhitespace(text, i);
    if (text.charCodeAt(i) !== COLON) return undefined;
    i = skipValue(text, skipWhitespace(text, i + 1));
    if (i === -1) return undefined;
    i = skipWhitespace(text, i);
  }
}

/**
 * Splices `JSON.stringify(newValue)` in place of the string value of a top-level `key`; the text is
 * returned unchanged when there is none. Every duplicate occurrence is rewritten so that an upstream
 * reading the first duplicate cannot be steered to a model the gateway did not choose.
 */
export function replaceTopLevelStringField(text: string, key: string, newValue: string): string {
  const found = scanTopLevel(text, key);
  if (!found || found.length === 0 || !found[found.length - 1]?.isString) return text;
  const replacement = JSON.stringify(newValue);
  let out = text;
  for (let k = found.length - 1; k >= 0; k--) {
    const field = found[k];
    if (!field?.isString) continue;
    out = out.slice(0, field.span.start) + replacement + out.slice(field.span.end);
  }
  return out;
}
