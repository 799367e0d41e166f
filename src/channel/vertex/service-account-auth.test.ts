/**
 * The service-account path end to end: the channel signs a JWT, trades it at a fake token endpoint
 * on loopback (through a real fetch), caches the token and refreshes it before expiry.
 */
import { generateKeyPairSync, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors';
import type { ChannelServices, PrepareInput } from '../contract';
import { MemoryChannelCache } from '../memory-cache';
import { REFRESH_MARGIN_MS } from './access-token';
import { vertexChannel } from './channel';
import { CLOUD_PLATFORM_SCOPE, pemToPkcs8 } from './jwt';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

interface TokenRequest {
  path: string;
  contentType: string | undefined;
  form: URLSearchParams;
}

interface Answer {
  status: number;
  body: string;
  delayMs?: number;
}

let server: ReturnType<typeof createServer>;
let origin = '';
const received: TokenRequest[] = [];
let answers: Answer[] = [];
let issued = 0;

function defaultAnswer(): Answer {
  issued++;
  return {
    status: 200,
    body: JSON.stringify({ access_token: `ya29.token-${issued}`, expires_in: 3599, token_type: 'Bearer' }),
  };
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  let text = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => (text += chunk));
  request.on('end', () => {
    received.push({
      path: request.url ?? '',
      contentType: request.headers['content-type'],
      form: new URLSearchParams(text),
    });
    const answer = answers.shift() ?? defaultAnswer();
    setTimeout(() => {
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(answer.body);
    }, answer.delayMs ?? 0);
  });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let clock: { now: number };
let cache: MemoryChannelCache;
let accountCounter = 0;
let email = '';

beforeEach(() => {
  received.length = 0;
  answers = [];
  issued = 0;
  clock = { now: Date.parse('2026-03-01T10:00:00Z') };
  cache = new MemoryChannelCache(() => clock.now);
  // A fresh account per test: the in-flight exchanges are per process.
  email = `gproxy-${++accountCounter}@my-proj.iam.gserviceaccount.com`;
});

/** A real fetchText, as the pipeline's would be, but over the global fetch. */
async function fetchText(
  request: { method: string; url: string; headers: Record<string, string>; body?: string },
  signal: AbortSignal,
): Promise<{ status: number; body: string }> {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
    signal,
  });
  return { status: response.status, body: await response.text() };
}

function services(): ChannelServices {
  return { now: clock.now, cache, fetchText };
}

function serviceAccount(overrides: Record<string, string> = {}): string {
  return JSON.stringify({
    type: 'service_account',
    project_id: 'sa-project',
    private_key_id: 'kid-0123',
    private_key: privateKey,
    client_email: email,
    token_uri: `${origin}/token`,
    ...overrides,
  });
}

function input(overrides: Partial<PrepareInput> = {}): PrepareInput {
  return {
    provider: { name: 'vertex', settings: {} },
    credential: { label: 'sa-1', secret: { service_account: serviceAccount() } },
    operation: { operation: 'generate-content', wire: 'gemini' },
    stream: false,
    streamFormat: 'sse',
    upstreamModel: 'gemini-2.5-flash',
    body: '{"contents":[]}',
    clientHeaders: {},
    services: services(),
    signal: new AbortController().signal,
    ...overrides,
  };
}

function decodePart(part: string | undefined): unknown {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
}

describe('vertex service-account auth', () => {
  it('trades a JWT that verifies with the public key and carries the right claims', async () => {
    const request = await vertexChannel.prepare(input());
    expect(request.headers['authorization']).toBe('Bearer ya29.token-1');
    // The project defaults to the service account's.
    expect(request.url).toBe(
      'https://us-central1-aiplatform.googleapis.com/v1/projects/sa-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent',
    );

    expect(received).toHaveLength(1);
    const exchange = received[0]!;
    expect(exchange.path).toBe('/token');
    expect(exchange.contentType).toBe('application/x-www-form-urlencoded');
    expect([...exchange.form.keys()]).toEqual(['grant_type', 'assertion']);
    expect(exchange.form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');

    const jwt = exchange.form.get('assertion') ?? '';
    const [header, claims, signature] = jwt.split('.');
    const signed = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${claims}`),
      publicKey,
      Buffer.from(signature ?? '', 'base64url'),
    );
    expect(signed).toBe(true);
    expect(decodePart(header)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'kid-0123' });
    const iat = clock.now / 1000;
    expect(decodePart(claims)).toEqual({
      iss: email,
      scope: CLOUD_PLATFORM_SCOPE,
      aud: `${origin}/token`,
      iat,
      exp: iat + 3600,
    });
  });

  it('a tampered JWT does not verify (the check above can fail)', async () => {
    await vertexChannel.prepare(input());
    const [header, , signature] = (received[0]?.form.get('assertion') ?? '').split('.');
    const forged = Buffer.from(JSON.stringify({ iss: 'someone-else' })).toString('base64url');
    expect(
      verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${forged}`),
        publicKey,
        Buffer.from(signature ?? '', 'base64url'),
      ),
    ).toBe(false);
  });

  it('prefers the project setting over the service account project', async () => {
    const request = await vertexChannel.prepare(
      input({ provider: { name: 'vertex', settings: { project: 'other', location: 'global' } } }),
    );
    expect(request.url).toBe(
      'https://aiplatform.googleapis.com/v1/projects/other/locations/global/publishers/google/models/gemini-2.5-flash:generateContent',
    );
  });

  it('caches the token: one exchange for sequential and for concurrent prepares', async () => {
    answers = [{ ...defaultAnswer(), delayMs: 30 }];
    const [a, b] = await Promise.all([vertexChannel.prepare(input()), vertexChannel.prepare(input())]);
    const c = await vertexChannel.prepare(input());
    expect([a, b, c].map((r) => r.headers['authorization'])).toEqual([
      'Bearer ya29.token-1',
      'Bearer ya29.token-1',
      'Bearer ya29.token-1',
    ]);
    expect(received).toHaveLength(1);
  });

  it('refreshes five minutes before expiry, not earlier', async () => {
    const start = clock.now;
    await vertexChannel.prepare(input());
    const refreshAt = start + 3599_000 - REFRESH_MARGIN_MS;

    clock.now = refreshAt - 1;
    expect((await vertexChannel.prepare(input())).headers['authorization']).toBe('Bearer ya29.token-1');
    expect(received).toHaveLength(1);

    clock.now = refreshAt;
    expect((await vertexChannel.prepare(input())).headers['authorization']).toBe('Bearer ya29.token-2');
    expect(received).toHaveLength(2);
    // The new assertion is issued at the new time.
    const claims = decodePart(received[1]?.form.get('assertion')?.split('.')[1]) as { iat: number };
    expect(claims.iat).toBe(Math.floor(refreshAt / 1000));
  });

  it('refreshes by the gateway clock even when the cache keeps entries by another one', async () => {
    const start = clock.now;
    cache = new MemoryChannelCache(() => start);
    await vertexChannel.prepare(input());
    clock.now = start + 3599_000 - REFRESH_MARGIN_MS;
    expect((await vertexChannel.prepare(input())).headers['authorization']).toBe('Bearer ya29.token-2');
  });

  it('uses a token shorter-lived than the margin once and does not keep it', async () => {
    answers = [{ status: 200, body: '{"access_token":"ya29.brief","expires_in":60}' }];
    expect((await vertexChannel.prepare(input())).headers['authorization']).toBe('Bearer ya29.brief');
    expect((await vertexChannel.prepare(input())).headers['authorization']).toBe('Bearer ya29.token-1');
    expect(received).toHaveLength(2);
  });

  it('keeps tokens of different keys apart', async () => {
    await vertexChannel.prepare(input());
    const other = serviceAccount({ private_key_id: 'kid-rotated' });
    const request = await vertexChannel.prepare(
      input({ credential: { label: 'sa-2', secret: { service_account: other } } }),
    );
    expect(request.headers['authorization']).toBe('Bearer ya29.token-2');
    expect(received).toHaveLength(2);
  });

  it('turns a rejected credential into a retryable upstream_error and does not cache the failure', async () => {
    answers = [
      { status: 400, body: '{"error":"invalid_grant","error_description":"Invalid JWT Signature."}' },
    ];
    const error: unknown = await vertexChannel.prepare(input()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'upstream_error', status: 502, retryable: true });
    expect((error as GatewayError).message).toBe(
      `Service account ${email}: token endpoint rejected the credential: invalid_grant: Invalid JWT Signature.`,
    );
    // The next attempt tries again.
    expect((await vertexChannel.prepare(input())).headers['authorization']).toBe('Bearer ya29.token-1');
    expect(received).toHaveLength(2);
  });

  it('fails retryably on other token endpoint errors, bad answers and an unreachable endpoint', async () => {
    answers = [
      { status: 503, body: 'unavailable' },
      { status: 200, body: '{"token_type":"Bearer"}' },
    ];
    await expect(vertexChannel.prepare(input())).rejects.toMatchObject({
      code: 'upstream_error',
      retryable: true,
      message: `Service account ${email}: token endpoint answered 503`,
    });
    await expect(vertexChannel.prepare(input())).rejects.toMatchObject({
      code: 'upstream_error',
      retryable: true,
      message: `Service account ${email}: token endpoint answered without an access_token`,
    });
    const closed = serviceAccount({ token_uri: 'http://127.0.0.1:1/token' });
    await expect(
      vertexChannel.prepare(input({ credential: { label: 'sa', secret: { service_account: closed } } })),
    ).rejects.toMatchObject({ code: 'upstream_error', status: 502, retryable: true });
  });

  it('lets a waiter give up without cancelling the exchange the others share', async () => {
    answers = [{ ...defaultAnswer(), delayMs: 50 }];
    const controller = new AbortController();
    const leaving = vertexChannel.prepare(input({ signal: controller.signal }));
    const staying = vertexChannel.prepare(input());
    controller.abort(new Error('client went away'));
    await expect(leaving).rejects.toThrow('client went away');
    expect((await staying).headers['authorization']).toBe('Bearer ya29.token-1');
    expect(received).toHaveLength(1);
  });

  it('serves Claude with the same token', async () => {
    const request = await vertexChannel.prepare(
      input({
        provider: { name: 'vertex-claude', settings: { publisher: 'anthropic', location: 'europe-west1' } },
        operation: { operation: 'generate-content', wire: 'claude' },
        upstreamModel: 'claude-sonnet-4-5@20250929',
        body: '{"model":"claude-sonnet-4-5@20250929","max_tokens":8,"messages":[]}',
      }),
    );
    expect(request).toEqual({
      method: 'POST',
      url: 'https://europe-west1-aiplatform.googleapis.com/v1/projects/sa-project/locations/europe-west1/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ya29.token-1' },
      body: '{"anthropic_version":"vertex-2023-10-16","max_tokens":8,"messages":[]}',
    });
  });
});

describe('service account private keys', () => {
  it('accepts keys pasted with literal \\n escapes', () => {
    expect(pemToPkcs8(privateKey.replace(/\n/g, '\\n'))).toEqual(pemToPkcs8(privateKey));
  });

  it('names PKCS#1 keys and non-keys as configuration errors', async () => {
    const pkcs1 = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    await expect(
      vertexChannel.prepare(
        input({
          credential: { label: 'sa', secret: { service_account: serviceAccount({ private_key: pkcs1 }) } },
        }),
      ),
    ).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/PKCS#1/) as unknown });
    const garbage = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n';
    await expect(
      vertexChannel.prepare(
        input({
          credential: { label: 'sa', secret: { service_account: serviceAccount({ private_key: garbage }) } },
        }),
      ),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/not an RSA PKCS#8 key/) as unknown,
    });
    expect(received).toHaveLength(0);
  });
});
