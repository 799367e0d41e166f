/**
 * A fake Bedrock runtime on loopback for end-to-end tests of the aws-bedrock channel. It checks
 * every SigV4 signature from the bytes it received (with node:crypto, as AWS would), answers 403
 * `InvalidSignatureException` when one is wrong, and otherwise answers what the test's handler
 * says; bodies go out in small writes, so event-stream frames reach the gateway split across reads.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeStringHeaders } from '../../src/channel/aws-bedrock/event-stream-encode';

export const FAKE_AWS_ACCESS_KEY = 'AKIDEXAMPLE';
export const FAKE_AWS_SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

export interface SeenBedrockRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  signatureOk: boolean;
}

export interface FakeBedrockReply {
  status: number;
  headers?: Record<string, string>;
  body: string | Uint8Array;
}

export interface FakeBedrock {
  url: string;
  seen: SeenBedrockRequest[];
  close(): Promise<void>;
}

/** What AWS computes on its side: the canonical request from the request as received. */
export function verifySignature(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: string,
): boolean {
  const auth = String(headers['authorization'] ?? '');
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!match) return false;
  const [, keyId, date, region, service, signedHeaders, signature] = match as unknown as string[];
  if (keyId !== FAKE_AWS_ACCESS_KEY || service !== 'bedrock') return false;
  const encodeSegment = (segment: string): string =>
    encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const canonical = [
    method,
    path.split('/').map(encodeSegment).join('/'),
    '',
    ...signedHeaders!.split(';').map((name) => `${name}:${String(headers[name] ?? '').trim()}`),
    '',
    signedHeaders,
    createHash('sha256').update(body).digest('hex'),
  ].join('\n');
  const scope = `${date}/${region}/bedrock/aws4_request`;
  const toSign = [
    'AWS4-HMAC-SHA256',
    String(headers['x-amz-date']),
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  const hmac = (key: string | Buffer, text: string): Buffer =>
    createHmac('sha256', key).update(text).digest();
  const key = hmac(hmac(hmac(hmac(`AWS4${FAKE_AWS_SECRET_KEY}`, date!), region!), 'bedrock'), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex') === signature;
}

const enc = new TextEncoder();

/** One event frame as Bedrock sends it (`p` is the padding Bedrock adds to every payload). */
export function eventFrame(eventType: string, payload: Record<string, unknown>): Uint8Array {
  return encodeStringHeaders(
    { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    enc.encode(JSON.stringify({ ...payload, p: 'abcdefghij' })),
  );
}

export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  return encodeStringHeaders(
    { ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' },
    enc.encode(JSON.stringify({ message })),
  );
}

export function concatFrames(frames: Uint8Array[]): Uint8Array {
  return Buffer.concat(frames);
}

export async function startFakeBedrock(
  handler: (request: SeenBedrockRequest) => FakeBedrockReply,
): Promise<FakeBedrock> {
  const seen: SeenBedrockRequest[] = [];
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      const path = req.url ?? '';
      const request = { path, headers: req.headers, body, signatureOk: false };
      request.signatureOk = verifySignature(req.method ?? '', path, req.headers, body);
      seen.push(request);
      const reply: FakeBedrockReply = request.signatureOk
        ? handler(request)
        : {
            status: 403,
            headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidSignatureException' },
            body: '{"message":"The request signature we calculated does not match the signature you provided."}',
          };
      res.writeHead(reply.status, reply.headers ?? { 'content-type': 'application/json' });
      const bytes = typeof reply.body === 'string' ? enc.encode(reply.body) : reply.body;
      for (let at = 0; at < bytes.length; at += 37) res.write(bytes.subarray(at, at + 37));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
