/**
 * The vertex channel through the real server: a service account from the bundle, the token
 * exchange through the gateway's own transport (cached across requests), Gemini and Claude
 * requests reaching the fake upstream through endpoint overrides, and failover past a credential
 * whose token exchange is refused.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestGateway, USER_KEY, type TestGateway } from '../support/gateway';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

const GOOD = 'good@proj.iam.gserviceaccount.com';
const REVOKED = 'revoked@proj.iam.gserviceaccount.com';

let upstream: FakeUpstream;
let gateway: TestGateway;
let tokenServer: Server;
let tokenUrl = '';
/** The `iss` of every assertion the token endpoint received. */
const exchanges: string[] = [];

function startTokenServer(): Promise<void> {
  tokenServer = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const assertion = new URLSearchParams(body).get('assertion') ?? '';
      const claims = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString()) as {
        iss: string;
      };
      exchanges.push(claims.iss);
      res.setHeader('content-type', 'application/json');
      if (claims.iss === REVOKED) {
        res.writeHead(400).end('{"error":"invalid_grant","error_description":"Invalid JWT Signature."}');
        return;
      }
      res.writeHead(200).end('{"access_token":"ya29.from-sa","expires_in":3599,"token_type":"Bearer"}');
    });
  });
  return new Promise((resolve) =>
    tokenServer.listen(0, '127.0.0.1', () => {
      tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
      resolve();
    }),
  );
}

function serviceAccount(email: string): string {
  return JSON.stringify({
    type: 'service_account',
    project_id: 'proj',
    private_key_id: `kid-${email}`,
    private_key: privateKey,
    client_email: email,
    token_uri: tokenUrl,
  });
}

beforeAll(async () => {
  await startTokenServer();
  upstream = await startFakeUpstream();
  gateway = await startTestGateway({
    version: 1,
    providers: [
      {
        name: 'vg',
        channel: 'vertex',
        settings: {
          endpoints: { 'generate-content:gemini': `${upstream.url}/v1beta/models/{model}:generateContent` },
        },
        credentials: [{ label: 'sa', secret: { service_account: serviceAccount(GOOD) } }],
      },
      {
        name: 'vc',
        channel: 'vertex',
        settings: {
          publisher: 'anthropic',
          endpoints: { 'generate-content:claude': `${upstream.url}/v1/messages` },
        },
        credentials: [
          { label: 'a-revoked', secret: { service_account: serviceAccount(REVOKED) } },
          { label: 'b-good', secret: { service_account: serviceAccount(GOOD) } },
        ],
      },
    ],
    routes: [
      { name: 'vtx-gemini', members: [{ provider: 'vg', model: 'gemini-2.5-flash' }] },
      { name: 'vtx-claude', members: [{ provider: 'vc', model: 'claude-sonnet-4-5@20250929' }] },
    ],
    users: [{ name: 'alice', permissions: ['*'], keys: [{ label: 'laptop', key: USER_KEY }] }],
  });
});

afterAll(async () => {
  await gateway.dispose();
  await upstream.close();
  await new Promise<void>((resolve) => tokenServer.close(() => resolve()));
});

beforeEach(() => upstream.reset());

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${USER_KEY}` },
    body: JSON.stringify(body),
  });
}

describe('vertex channel end to end', () => {
  it('serves Gemini with a token from the service account, exchanged once for several requests', async () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'Say hi' }] }] };
    for (let i = 0; i < 2; i++) {
      const res = await post('/v1beta/models/vtx-gemini:generateContent', body);
      expect(res.status).toBe(200);
    }
    expect(upstream.requests.map((r) => r.path)).toEqual([
      '/v1beta/models/gemini-2.5-flash:generateContent',
      '/v1beta/models/gemini-2.5-flash:generateContent',
    ]);
    for (const request of upstream.requests) {
      expect(request.headers['authorization']).toBe('Bearer ya29.from-sa');
      expect(JSON.stringify(request.headers)).not.toContain(USER_KEY);
    }
    expect(exchanges.filter((iss) => iss === GOOD)).toHaveLength(1);
  });

  it('serves Claude clients and OpenAI clients through rawPredict bodies, past a refused credential', async () => {
    const claude = await post('/v1/messages', {
      model: 'vtx-claude',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Say hi' }],
    });
    expect(claude.status).toBe(200);
    expect(((await claude.json()) as { type: string }).type).toBe('message');

    const chat = await post('/v1/chat/completions', {
      model: 'vtx-claude',
      messages: [{ role: 'user', content: 'Say hi' }],
    });
    expect(chat.status).toBe(200);
    expect(((await chat.json()) as { object: string }).object).toBe('chat.completion');

    // The refused credential never reached the upstream: every request there carries the good token.
    expect(upstream.requests.length).toBe(2);
    for (const request of upstream.requests) {
      expect(request.path).toBe('/v1/messages');
      expect(request.headers['authorization']).toBe('Bearer ya29.from-sa');
      const json = request.json as Record<string, unknown>;
      expect(json['anthropic_version']).toBe('vertex-2023-10-16');
      expect(json).not.toHaveProperty('model');
      expect(json['max_tokens']).toEqual(expect.any(Number));
    }
    expect(exchanges).toContain(REVOKED);
  });
});
