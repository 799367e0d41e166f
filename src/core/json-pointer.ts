/**
 * JSON Pointer (RFC 6901) parsing: `/a/b~1c/0` names the member `a`, then `b/c`, then index 0.
 * `~1` stands for `/` and `~0` for `~`; any other `~` escape is invalid. The empty pointer names
 * the whole document.
 */

export type JsonPointerParse = { ok: true; tokens: string[] } | { ok: false; problem: string };

export function parseJsonPointer(pointer: string): JsonPointerParse {
  if (pointer === '') return { ok: true, tokens: [] };
  if (!pointer.startsWith('/')) return { ok: false, problem: 'Must start with "/" (a JSON Pointer)' };
  const tokens: string[] = [];
  for (const raw of pointer.slice(1).split('/')) {
    if (/~(?![01])/.test(raw))
      return { ok: false, problem: 'Has an invalid "~" escape (only "~0" for "~" and "~1" for "/")' };
    // ~1 before ~0 (RFC 6901 section 4): the other way round would turn `~01` into `/`, not `~1`.
    tokens.push(raw.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return { ok: true, tokens };
}

/** An array index token: `0` or digits without a leading zero (RFC 6901 section 4). */
export function arrayIndexOf(token: string): number | null {
  return /^(0|[1-9][0-9]{0,8})$/.test(token) ? Number(token) : null;
}
