/**
 * Redaction for captured requests and responses: secrets never reach the request log. Headers and
 * query parameters are matched by name, JSON bodies by key (at any depth); captured text is cut to
 * a size cap. Names are matched loosely on purpose (anything that looks like a key, token, secret,
 * password, signature, cookie or session): a false positive costs a log detail, a miss leaks a key.
 */
import { wholeCharactersEnd } from './utf8';

export const REDACTED = '[redacted]';

const SENSITIVE_NAME =
  /(^|[-_.])(authorization|auth|cookie|set-cookie|session|token|secret|password|passwd|signature|sig|credential|credentials)([-_.]|$)|api[-_]?key|access[-_]?key|private[-_]?key|client[-_]?secret|x-amz-security-token|^key$/i;

export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = isSensitiveName(name) ? REDACTED : value;
  return out;
}

/** A URL or a path with a query: sensitive parameters keep their name, lose their value. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = decodeURIComponentSafe(eq < 0 ? pair : pair.slice(0, eq));
      return eq >= 0 && isSensitiveName(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

/**
 * A captured body: JSON has its sensitive keys' values replaced (at any depth); anything else is
 * redacted line by line (redactText). Either way the result is cut to `maxBytes` (UTF-8) with a
 * marker saying how much was dropped.
 */
export function redactBody(text: string, maxBytes: number): string {
  return capText(redactText(text), maxBytes);
}

/**
 * Captured text that may not be one JSON document, or may be cut short by a size cap. A whole
 * JSON document has its sensitive keys' values replaced at any depth. Otherwise each line is
 * handled on its own: a line that is JSON (an SSE `data:` payload, an NDJSON line) the same way,
 * and any other line (JSON cut by the cap, a pretty-printed JSON-array stream) has the values of
 * its `"name": value` pairs with sensitive names replaced. Text with nothing to hide comes back
 * unchanged, formatting included.
 */
export function redactText(text: string): string {
  const whole = redactJsonText(text);
  if (whole !== undefined) return whole;
  return text.includes('"') ? text.split('\n').map(redactLine).join('\n') : text;
}

/** The JSON text redacted, itself when nothing had to be; undefined when it is not JSON. */
function redactJsonText(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const redacted = redactValue(value);
  return redacted === value ? text : JSON.stringify(redacted);
}

function redactLine(line: string): string {
  const prefix = line.startsWith('data: ') ? 'data: ' : line.startsWith('data:') ? 'data:' : '';
  const payload = line.slice(prefix.length);
  const json = redactJsonText(payload);
  if (json !== undefined) return json === payload ? line : prefix + json;
  return payload.includes('"') ? line.replace(JSON_PAIR, redactPair) : line;
}

/** `"name": value` with a string (possibly cut) or scalar value; object and array values are left to their own pairs. */
const JSON_PAIR = /"((?:[^"\\]|\\.)*)"(\s*:\s*)("(?:[^"\\]|\\.)*"?|[^\s,{}[\]"]+)/g;

function redactPair(pair: string, name: string, colon: string): string {
  return isSensitiveName(name) ? `"${name}"${colon}"${REDACTED}"` : pair;
}

/** The value with sensitive keys' values replaced; the same value (not a copy) when none were found. */
function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items: readonly unknown[] = value;
    let out: unknown[] | null = null;
    items.forEach((inner, i) => {
      const redacted = redactValue(inner);
      if (redacted !== inner) (out ??= [...items])[i] = redacted;
    });
    return out ?? value;
  }
  if (value !== null && typeof value === 'object') {
    let out: Record<string, unknown> | null = null;
    for (const [key, inner] of Object.entries(value)) {
      const redacted = isSensitiveName(key) ? REDACTED : redactValue(inner);
      if (redacted !== inner) (out ??= { ...value })[key] = redacted;
    }
    return out ?? value;
  }
  return value;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function capText(text: string, maxBytes: number): string {
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  // Decoding a cut multi-byte character yields U+FFFD; drop it rather than show a broken glyph.
  const kept = decoder.decode(bytes.subarray(0, maxBytes)).replace(/\uFFFD$/, '');
  return kept + truncated(bytes.length - encoder.encode(kept).length);
}

/**
 * A body captured up to a cap: `kept` holds its first bytes, `totalBytes` is its whole size. The
 * text redacted (redactText), ending like capText's when bytes were dropped; a character cut by
 * the cap is dropped with them.
 */
export function capturedText(kept: Uint8Array, totalBytes: number): string {
  if (kept.byteLength >= totalBytes) return redactText(decoder.decode(kept));
  const whole = wholeCharactersEnd(kept);
  return redactText(decoder.decode(kept.subarray(0, whole))) + truncated(totalBytes - whole);
}

const truncated = (bytes: number): string => `…[truncated ${bytes} bytes]`;

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Secrets shorter than this are not scrubbed from text: they would match ordinary words. */
const MIN_SCRUBBED_SECRET = 8;

/**
 * `text` with every literal occurrence of the given secrets replaced by REDACTED: for captured
 * upstream answers, which may echo the credential they were sent (`Invalid API key: sk-…`) where no
 * field name gives it away.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SCRUBBED_SECRET && scrubbed.includes(secret))
      scrubbed = scrubbed.split(secret).join(REDACTED);
  }
  return scrubbed;
}
