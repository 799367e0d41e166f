/** Ids and random keys from WebCrypto (works on Node and on the edge). */

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomString(length: number): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = '';
  // 62 * 4 = 248 < 256: rejecting bytes >= 248 keeps the distribution uniform.
  for (let i = 0; i < length; i++) {
    let byte = bytes[i] ?? 0;
    while (byte >= 248) {
      const one = new Uint8Array(1);
      crypto.getRandomValues(one);
      byte = one[0] ?? 0;
    }
    out += ALPHABET[byte % 62];
  }
  return out;
}

/** A user API key: `sk-gp-` + 40 base62 characters (~238 bits). */
export function generateUserKey(): string {
  return `sk-gp-${randomString(40)}`;
}

/** A new record id. */
export function newId(): string {
  return crypto.randomUUID();
}

/** A request id, sortable by time in the first characters. */
export function newRequestId(now: number): string {
  return `req_${now.toString(36)}${randomString(10)}`;
}
