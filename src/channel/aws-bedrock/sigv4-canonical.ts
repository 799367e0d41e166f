/**
 * The canonical pieces of an AWS Signature Version 4 request: URI encoding, the canonical URI,
 * query string and headers. Pure string work, kept apart from the cryptography in sigv4.ts.
 */

const encoder = new TextEncoder();
const HEX = '0123456789ABCDEF';

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x2e || // .
    byte === 0x5f || // _
    byte === 0x7e // ~
  );
}

/**
 * SigV4's URI encoding: every UTF-8 byte but the RFC 3986 unreserved characters becomes `%XX`
 * (upper-case hex). Stricter than encodeURIComponent, which leaves `!'()*` alone; `%` is encoded too.
 */
export function uriEncode(text: string): string {
  let out = '';
  for (const byte of encoder.encode(text)) {
    out += isUnreserved(byte) ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

/**
 * The canonical URI of a path as it is sent on the request line. Every service but S3 wants the
 * path normalized (RFC 3986 dot segments removed, empty segments dropped) and each segment
 * URI-encoded once more, so a sent `%3A` is signed as `%253A`: AWS re-encodes what it receives.
 */
export function canonicalUri(path: string): string {
  const raw = path.split('/');
  const segments: string[] = [];
  for (const segment of raw) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(segment));
  }
  const last = raw[raw.length - 1];
  const trailing = segments.length > 0 && (last === '' || last === '.' || last === '..');
  return `/${segments.join('/')}${trailing ? '/' : ''}`;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A stray `%` is taken literally and will be signed as `%25`.
    return text;
  }
}

/** The canonical query string: parameters decoded, re-encoded, sorted by name then value. */
export function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = equals === -1 ? part : part.slice(0, equals);
    const value = equals === -1 ? '' : part.slice(equals + 1);
    pairs.push([uriEncode(decodeComponent(name)), uriEncode(decodeComponent(value))]);
  }
  // Encoded text is ASCII, so code-unit order is the byte order SigV4 asks for.
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

export interface CanonicalHeaders {
  /** `name:value\n` for each header, names lower-case and sorted. */
  text: string;
  /** The lower-case names joined by `;`. */
  signedHeaders: string;
}

/**
 * Names lower-cased and sorted; values trimmed with inner whitespace runs (folded lines included)
 * collapsed to one space; a name given in several cases has its values joined by commas.
 */
export function canonicalHeaders(headers: Readonly<Record<string, string>>): CanonicalHeaders {
  const byName = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    const clean = value.trim().replace(/\s+/g, ' ');
    const earlier = byName.get(key);
    byName.set(key, earlier === undefined ? clean : `${earlier},${clean}`);
  }
  const names = [...byName.keys()].sort();
  let text = '';
  for (const name of names) text += `${name}:${byName.get(name) ?? ''}\n`;
  return { text, signedHeaders: names.join(';') };
}
