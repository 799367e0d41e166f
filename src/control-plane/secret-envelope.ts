/**
 * Credential secrets at rest: an AES-256-GCM envelope (WebCrypto, so it runs on Node and the edge)
 * under a master key from GPROXY_MASTER_KEY. See docs/decisions/0008-secret-envelope.md.
 *
 * Stored form: `v1:<iv base64>:<ciphertext+tag base64>`, a fresh 96-bit IV per seal, and the
 * credential id as additional authenticated data, so a sealed value copied onto another
 * credential does not open. Without a master key secrets are stored as plaintext JSON.
 */

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Anything shaped `v<digits>:…` is an envelope; plaintext secrets are JSON objects (`{…`). */
const ENVELOPE = /^v\d+:/;

export interface SecretSealer {
  /** False for the identity sealer (no master key): `seal` then stores plaintext JSON. */
  readonly encrypts: boolean;
  /** Turns a secret's JSON text into what is stored for credential `credentialId`. */
  seal(credentialId: string, plaintextJson: string): Promise<string>;
  /**
   * Turns a stored value back into JSON text. Plaintext values (stored before a master key was
   * set) are returned as they are, so adding a key later keeps existing rows readable.
   */
  open(credentialId: string, sealed: string): Promise<string>;
}

/** Names the credential (never its secret), so an operator knows which record is affected. */
export class SecretEnvelopeError extends Error {
  constructor(
    readonly credentialId: string,
    readonly reason: string,
    /** A readable name such as `"oa/main"`, when the caller knows it. */
    readonly credentialName?: string,
  ) {
    const who = credentialName === undefined ? credentialId : `${credentialName} (id ${credentialId})`;
    super(`Credential ${who}: ${reason}`);
    this.name = 'SecretEnvelopeError';
  }
}

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

/** True when a stored secret is an envelope rather than plaintext JSON. */
export function isSealed(stored: string): boolean {
  return ENVELOPE.test(stored);
}

/** Stores secrets as plaintext JSON; refuses to guess at values sealed under some key. */
export const identitySealer: SecretSealer = Object.freeze({
  encrypts: false,
  seal: (_credentialId: string, plaintextJson: string) => Promise.resolve(plaintextJson),
  open: (credentialId: string, stored: string) =>
    isSealed(stored)
      ? Promise.reject(
          new SecretEnvelopeError(
            credentialId,
            'the stored secret is encrypted but GPROXY_MASTER_KEY is not set; set the master key it was sealed with',
          ),
        )
      : Promise.resolve(stored),
});

/**
 * The sealer for a GPROXY_MASTER_KEY value: identity when it is unset or blank (the runtime warns
 * loudly then), AES-256-GCM otherwise. A malformed key is an error, never a silent fallback.
 */
export async function sealerFromEnv(value: string | undefined): Promise<SecretSealer> {
  const text = value?.trim() ?? '';
  if (text === '') return identitySealer;
  return createAesGcmSealer(parseMasterKey(text));
}

/** Accepts exactly 32 bytes as 64 hex characters or base64 (standard or URL-safe). */
export function parseMasterKey(text: string): Uint8Array<ArrayBuffer> {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    const bytes = new Uint8Array(KEY_BYTES);
    for (let i = 0; i < KEY_BYTES; i++) bytes[i] = parseInt(trimmed.slice(i * 2, i * 2 + 2), 16);
    return bytes;
  }
  // 32 bytes are 43 base64 characters plus one padding "=".
  if (/^[A-Za-z0-9+/]{43}=?$/.test(trimmed) || /^[A-Za-z0-9_-]{43}=?$/.test(trimmed)) {
    const bytes = fromBase64(trimmed.replace(/-/g, '+').replace(/_/g, '/'));
    if (bytes?.length === KEY_BYTES) return bytes;
  }
  // The value itself is a secret: describe it by length only.
  throw new MasterKeyError(
    `GPROXY_MASTER_KEY must be 32 bytes written as 64 hex characters or as base64 (44 characters); ` +
      `the value given (${trimmed.length} characters) is neither. Generate one with: openssl rand -base64 32`,
  );
}

export async function createAesGcmSealer(keyBytes: Uint8Array<ArrayBuffer>): Promise<SecretSealer> {
  if (keyBytes.length !== KEY_BYTES) throw new MasterKeyError('The master key must be exactly 32 bytes');
  // Not extractable: the raw key stays inside WebCrypto once imported.
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'AES-GCM' }, false, [
    'encrypt',
    'decrypt',
  ]);
  return Object.freeze({
    encrypts: true,
    async seal(credentialId: string, plaintextJson: string): Promise<string> {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const sealed = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: aad(credentialId), tagLength: TAG_BYTES * 8 },
        key,
        new TextEncoder().encode(plaintextJson),
      );
      return `${VERSION}:${toBase64(iv)}:${toBase64(new Uint8Array(sealed))}`;
    },
    async open(credentialId: string, stored: string): Promise<string> {
      if (!isSealed(stored)) return stored;
      const parts = stored.split(':');
      if (parts[0] !== VERSION) {
        throw new SecretEnvelopeError(
          credentialId,
          `the stored secret uses an unknown envelope version "${parts[0] ?? ''}"`,
        );
      }
      const iv = parts.length === 3 ? fromBase64(parts[1] ?? '') : undefined;
      const data = parts.length === 3 ? fromBase64(parts[2] ?? '') : undefined;
      if (iv?.length !== IV_BYTES || data === undefined || data.length < TAG_BYTES) {
        throw new SecretEnvelopeError(credentialId, 'the stored secret is not a well-formed v1 envelope');
      }
      let plain: ArrayBuffer;
      try {
        plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv, additionalData: aad(credentialId), tagLength: TAG_BYTES * 8 },
          key,
          data,
        );
      } catch {
        // GCM cannot tell these apart: every one of them fails the authentication tag.
        throw new SecretEnvelopeError(
          credentialId,
          'the stored secret cannot be decrypted with this GPROXY_MASTER_KEY ' +
            '(it was sealed with another key, altered, or copied from another credential)',
        );
      }
      return new TextDecoder().decode(plain);
    },
  });
}

/** Binds a ciphertext to its credential; the version is part of it so formats never mix. */
function aad(credentialId: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`gproxy:credential-secret:${VERSION}:${credentialId}`);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
