/**
 * The signed JWT a service account trades for an OAuth access token (RFC 7523), RS256 through
 * WebCrypto so it runs on Node and on the edge alike.
 */
import { GatewayError } from '../../core/errors';
import type { ServiceAccount } from './service-account';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/** Google accepts assertions valid for at most one hour. */
const ASSERTION_LIFETIME_SECONDS = 3600;

const encoder = new TextEncoder();

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64UrlJson(value: unknown): string {
  return base64Url(encoder.encode(JSON.stringify(value)));
}

function invalidKey(message: string, cause?: unknown): GatewayError {
  return new GatewayError('invalid_request', `Service account private_key ${message}`, { cause });
}

/** The DER bytes of a PKCS#8 PEM; key files pasted with literal `\n` escapes are accepted too. */
export function pemToPkcs8(pem: string): Uint8Array<ArrayBuffer> {
  const text = pem.replace(/\\n/g, '\n');
  if (text.includes('BEGIN RSA PRIVATE KEY')) {
    throw invalidKey('is PKCS#1 (BEGIN RSA PRIVATE KEY); a PKCS#8 key (BEGIN PRIVATE KEY) is needed');
  }
  const match = /-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/.exec(text);
  if (match === null) throw invalidKey('is not a PEM private key');
  let binary: string;
  try {
    binary = atob((match[1] ?? '').replace(/\s+/g, ''));
  } catch (error) {
    throw invalidKey('is not valid base64', error);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function importSigningKey(pem: string): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey(
      'pkcs8',
      pemToPkcs8(pem),
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    );
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw invalidKey('is not an RSA PKCS#8 key', error);
  }
}

/** `nowMs` is the gateway's clock (channels never read one themselves). */
export async function signServiceAccountJwt(account: ServiceAccount, nowMs: number): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  const header =
    account.privateKeyId === undefined
      ? { alg: 'RS256', typ: 'JWT' }
      : { alg: 'RS256', typ: 'JWT', kid: account.privateKeyId };
  const claims = {
    iss: account.clientEmail,
    scope: CLOUD_PLATFORM_SCOPE,
    aud: account.tokenUri,
    iat,
    exp: iat + ASSERTION_LIFETIME_SECONDS,
  };
  const signingInput = `${base64UrlJson(header)}.${base64UrlJson(claims)}`;
  const key = await importSigningKey(account.privateKey);
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, encoder.encode(signingInput));
  return `${signingInput}.${base64Url(new Uint8Array(signature))}`;
}
