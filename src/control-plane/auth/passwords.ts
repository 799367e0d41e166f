/**
 * Console passwords: argon2id (OWASP's minimum profile: 19 MiB, 2 passes, 1 lane) in the PHC
 * string format, so parameters travel with each hash and can be raised later. hash-wasm runs the
 * same code on Node and on Workers (no native addon); see docs/decisions/0011-console-sessions.md.
 */
import { argon2Verify, argon2id } from 'hash-wasm';

const PARAMS = { parallelism: 1, iterations: 2, memorySize: 19_456, hashLength: 32 } as const;
export const MIN_PASSWORD_LENGTH = 8;

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return argon2id({ password, salt, ...PARAMS, outputType: 'encoded' });
}

/** False for a wrong password or a hash that is not an argon2id PHC string. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (!hash.startsWith('$argon2id$')) return false;
  try {
    return await argon2Verify({ password, hash });
  } catch {
    return false;
  }
}

/** A PHC argon2id string as exports write it. */
export const PASSWORD_HASH_PATTERN = /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
