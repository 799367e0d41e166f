/**
 * AWS Signature Version 4 (header form) with WebCrypto, so it runs on Node and on the edge alike.
 * It returns the canonical request and string to sign along with the headers to add, so tests can
 * hold every step against AWS's published test suite.
 */
import { sha256Hex } from '../../core/digest';
import { canonicalHeaders, canonicalQuery, canonicalUri } from './sigv4-canonical';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Present for temporary (STS) credentials; sent and signed as `x-amz-security-token`. */
  sessionToken?: string | undefined;
}

export interface SigV4Request {
  method: string;
  /** The path exactly as it goes on the request line (already percent-encoded where needed). */
  path: string;
  /** The query string as sent, without `?`. */
  query: string;
  /** Every header to sign, `host` included; all of them are signed. */
  headers: Readonly<Record<string, string>>;
  body: string;
}

export interface SigV4Scope {
  credentials: AwsCredentials;
  region: string;
  service: string;
  /** Signing time in milliseconds since the epoch. */
  now: number;
}

export interface SigV4Signature {
  /** `authorization`, `x-amz-date` and, with a session token, `x-amz-security-token`. */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const encoder = new TextEncoder();

/** The signer sets these itself, so a copy in the request's headers is dropped, whatever its case. */
const SIGNER_HEADERS = new Set(['authorization', 'x-amz-date', 'x-amz-security-token']);

/** `20150830T123600Z` for 2015-08-30T12:36:00Z. */
export function amzDate(now: number): string {
  return new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function toHex(bytes: ArrayBuffer): string {
  let hex = '';
  for (const byte of new Uint8Array(bytes)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

async function hmac(key: ArrayBuffer | Uint8Array<ArrayBuffer>, data: string): Promise<ArrayBuffer> {
  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(data));
}

/**
 * kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
 * Four HMACs per request cost microseconds next to a model call, so the key is not cached.
 */
async function signingKey(
  secret: string,
  date: string,
  region: string,
  service: string,
): Promise<ArrayBuffer> {
  const kDate = await hmac(encoder.encode(`AWS4${secret}`), date);
  const kRegion = await hmac(kDate, region);
  const kService = await hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

export async function signSigV4(request: SigV4Request, scope: SigV4Scope): Promise<SigV4Signature> {
  const { credentials, region, service } = scope;
  const timestamp = amzDate(scope.now);
  const date = timestamp.slice(0, 8);

  const added: Record<string, string> = { 'x-amz-date': timestamp };
  if (credentials.sessionToken) added['x-amz-security-token'] = credentials.sessionToken;
  const toSign: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!SIGNER_HEADERS.has(name.toLowerCase())) toSign[name] = value;
  }
  const canonical = canonicalHeaders({ ...toSign, ...added });

  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(request.path),
    canonicalQuery(request.query),
    canonical.text,
    canonical.signedHeaders,
    await sha256Hex(request.body),
  ].join('\n');
  const credentialScope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, timestamp, credentialScope, await sha256Hex(canonicalRequest)].join('\n');
  const key = await signingKey(credentials.secretAccessKey, date, region, service);
  const signature = toHex(await hmac(key, stringToSign));

  const authorization =
    `${ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, ` +
    `SignedHeaders=${canonical.signedHeaders}, Signature=${signature}`;
  return { headers: { ...added, authorization }, canonicalRequest, stringToSign, signature };
}
