/**
 * Redaction for captured requests and responses: secrets never reach the request log. Headers and
 * query parameters are matched by name, JSON bodies by key (at any depth); captured text is cut to
 * a size cap. Names are matched loosely on purpose (anything that looks like a key, token, secret,
 * password, signature, cookie or session): a false positive costs a log detail, a miss leaks a key.
 */

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
 * kept as text. Either way the result is cut to `maxBytes` (UTF-8) with a marker saying how much
 * was dropped.
 */
export function redactBody(text: string, maxBytes: number): string {
  let out = text;
  try {
    out = JSON.stringify(redactValue(JSON.parse(text)));
  } catch {
    // Not JSON (an SSE stream, plain text): kept as is, only capped.
  }
  return capText(out, maxBytes);
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value))
      out[key] = isSensitiveName(key) ? REDACTED : redactValue(inner);
    return out;
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
  return `${kept}…[truncated ${bytes.length - encoder.encode(kept).length} bytes]`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
