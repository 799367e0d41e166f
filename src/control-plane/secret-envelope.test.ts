import { describe, expect, it } from 'vitest';
import {
  MasterKeyError,
  SecretEnvelopeError,
  createAesGcmSealer,
  identitySealer,
  isSealed,
  parseMasterKey,
  sealerFromEnv,
} from './secret-envelope';

const KEY_BYTES = Uint8Array.from({ length: 32 }, (_, i) => i);
const KEY_HEX = Buffer.from(KEY_BYTES).toString('hex');
const KEY_B64 = Buffer.from(KEY_BYTES).toString('base64');
const OTHER_B64 = Buffer.alloc(32, 7).toString('base64');
const SECRET = '{"api_key":"sk-very-secret"}';

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected a rejection');
}

describe('parseMasterKey', () => {
  it('accepts 64 hex characters and base64 (standard, URL-safe, unpadded) of 32 bytes', () => {
    expect(parseMasterKey(KEY_HEX)).toEqual(KEY_BYTES);
    expect(parseMasterKey(KEY_HEX.toUpperCase())).toEqual(KEY_BYTES);
    expect(parseMasterKey(KEY_B64)).toEqual(KEY_BYTES);
    expect(parseMasterKey(Buffer.from(KEY_BYTES).toString('base64url'))).toEqual(KEY_BYTES);
    expect(parseMasterKey(`  ${KEY_B64}\n`)).toEqual(KEY_BYTES);
  });

  it('rejects other lengths and alphabets without echoing the value', () => {
    for (const bad of [
      KEY_HEX.slice(2), // 31 bytes of hex
      Buffer.alloc(31, 1).toString('base64'),
      Buffer.alloc(33, 1).toString('base64'),
      `${KEY_HEX.slice(1)}g`,
      'correct horse battery staple',
    ]) {
      const run = () => parseMasterKey(bad);
      expect(run).toThrow(MasterKeyError);
      expect(run).toThrow(/GPROXY_MASTER_KEY must be 32 bytes written as 64 hex characters or as base64/);
      try {
        run();
      } catch (error) {
        expect((error as Error).message).not.toContain(bad);
      }
    }
  });
});

describe('sealerFromEnv', () => {
  it('is the identity sealer when the variable is unset or blank', async () => {
    expect(await sealerFromEnv(undefined)).toBe(identitySealer);
    expect(await sealerFromEnv('  ')).toBe(identitySealer);
    expect(identitySealer.encrypts).toBe(false);
  });

  it('fails on a malformed key instead of falling back to plaintext', async () => {
    await expect(sealerFromEnv('not-a-key')).rejects.toBeInstanceOf(MasterKeyError);
  });

  it('reads hex and base64 forms of the same key interchangeably', async () => {
    const fromHex = await sealerFromEnv(KEY_HEX);
    const fromB64 = await sealerFromEnv(KEY_B64);
    expect(fromHex.encrypts).toBe(true);
    expect(await fromB64.open('c1', await fromHex.seal('c1', SECRET))).toBe(SECRET);
  });
});

describe('AES-GCM sealer', () => {
  it('seals to a versioned envelope with a fresh IV and opens it again', async () => {
    const sealer = await createAesGcmSealer(parseMasterKey(KEY_B64));
    const first = await sealer.seal('cred-1', SECRET);
    const second = await sealer.seal('cred-1', SECRET);
    expect(first).toMatch(/^v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]+={0,2}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('sk-very-secret');
    // The ciphertext holds the 16-byte tag after the plaintext.
    expect(Buffer.from(first.split(':')[2]!, 'base64')).toHaveLength(SECRET.length + 16);
    expect(isSealed(first)).toBe(true);
    expect(await sealer.open('cred-1', first)).toBe(SECRET);
    expect(await sealer.open('cred-1', second)).toBe(SECRET);
  });

  it('binds a sealed value to its credential id', async () => {
    const sealer = await createAesGcmSealer(parseMasterKey(KEY_B64));
    const sealed = await sealer.seal('cred-1', SECRET);
    const error = await rejectionOf(sealer.open('cred-2', sealed));
    expect(error).toBeInstanceOf(SecretEnvelopeError);
    expect(error.message).toMatch(/^Credential cred-2: the stored secret cannot be decrypted/);
  });

  it('fails clearly with another key, a tampered value, a malformed or unknown envelope', async () => {
    const sealer = await createAesGcmSealer(parseMasterKey(KEY_B64));
    const other = await createAesGcmSealer(parseMasterKey(OTHER_B64));
    const sealed = await sealer.seal('cred-1', SECRET);

    const wrongKey = await rejectionOf(other.open('cred-1', sealed));
    expect(wrongKey.message).toContain('cannot be decrypted with this GPROXY_MASTER_KEY');

    const [version, iv, data] = sealed.split(':') as [string, string, string];
    const bytes = Buffer.from(data, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    const tampered = `${version}:${iv}:${bytes.toString('base64')}`;
    await expect(sealer.open('cred-1', tampered)).rejects.toThrow(/cannot be decrypted/);

    await expect(sealer.open('cred-1', `v1:${iv}`)).rejects.toThrow(/not a well-formed v1 envelope/);
    await expect(sealer.open('cred-1', `v1:AAAA:${data}`)).rejects.toThrow(/not a well-formed/);
    await expect(sealer.open('cred-1', `v1:${iv}:not*base64`)).rejects.toThrow(/not a well-formed/);
    await expect(sealer.open('cred-1', `v2:${iv}:${data}`)).rejects.toThrow(/unknown envelope version "v2"/);
  });

  it('passes plaintext JSON stored before a master key was set through unchanged', async () => {
    const sealer = await createAesGcmSealer(parseMasterKey(KEY_B64));
    expect(isSealed(SECRET)).toBe(false);
    expect(await sealer.open('cred-1', SECRET)).toBe(SECRET);
  });
});

describe('identity sealer', () => {
  it('stores plaintext JSON and refuses sealed values, naming the credential', async () => {
    expect(await identitySealer.seal('cred-1', SECRET)).toBe(SECRET);
    expect(await identitySealer.open('cred-1', SECRET)).toBe(SECRET);
    const sealed = await (await createAesGcmSealer(parseMasterKey(KEY_B64))).seal('cred-1', SECRET);
    const error = await rejectionOf(identitySealer.open('cred-1', sealed));
    expect(error).toBeInstanceOf(SecretEnvelopeError);
    expect(error.message).toBe(
      'Credential cred-1: the stored secret is encrypted but GPROXY_MASTER_KEY is not set; set the master key it was sealed with',
    );
  });
});
