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

/**
 * Random bytes for request ids, drawn from a pool refilled with one getRandomValues call per
 * POOL_SIZE bytes: each call costs a few microseconds (on Node an OpenSSL fork check, i.e. a
 * getpid syscall), which was measurable per request. Request ids are for correlation, not secrets;
 * keys and tokens keep using fresh random bytes (randomString).
 */
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let poolAt = POOL_SIZE;

function pooledByte(): number {
  if (poolAt === POOL_SIZE) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  return pool[poolAt++] as number;
}

/** A request id, sortable by time in the first characters. */
export function newRequestId(now: number): string {
  let random = '';
  for (let i = 0; i < 10; i++) {
    let byte = pooledByte();
    // Rejecting bytes >= 248 keeps the distribution uniform, as in randomString.
    while (byte >= 248) byte = pooledByte();
    random += ALPHABET[byte % 62];
  }
  return `req_${now.toString(36)}${random}`;
}
