/**
 * The aws-bedrock channel end to end: a real gproxy server in front of a fake Bedrock runtime on
 * loopback. The fake checks every SigV4 signature from the bytes it received (with node:crypto, as
 * AWS would) and answers InvokeModel with Claude JSON and InvokeModelWithResponseStream with AWS
 * event-stream frames written in small pieces.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SseDecoder, type SseEvent } from '../../core/sse';
import { startTestGateway, USER_KEY, type TestGateway } from '../../../test/support/gateway';
import { encodeStringHeaders } from './event-stream-encode';

const ACCESS_KEY = 'AKIDEXAMPLE';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const MODEL = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const enc = new TextEncoder();

const claudeStream = readFileSync(
  join(import.meta.dirname, '../../protocol/wires/claude/generate-content/fixtures/stream.sse'),
  'utf8',
);

function sseEvents(text: string): SseEvent[] {
  const decoder = new SseDecoder();
  return [...decoder.push(enc.encode(text)), ...decoder.end()];
}

const CLAUDE_MESSAGE = {
  id: 'msg_bdrk_01',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [{ type: 'text', text: 'Hello from Bedrock' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 11, output_tokens: 4 },
};

interface Seen {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  signatureOk: boolean;
}

/** What AWS computes on its side: the canonical request from the request as received. */
function verifySignature(method: string, path: string, headers: Seen['headers'], body: string): boolean {
  const auth = String(headers['authorization'] ?? '');
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!match) return false;
  const [, keyId, date, region, service, signedHeaders, signature] = match as unknown as string[];
  if (keyId !== ACCESS_KEY || service !== 'bedrock') return false;
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
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET_KEY}`, date!), region!), 'bedrock'), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex') === signature;
}

function chunkFrame(eventJson: string): Uint8Array {
  return encodeStringHeaders(
    { ':event-type': 'chunk', ':content-type': 'application/json', ':message-type': 'event' },
    enc.encode(JSON.stringify({ bytes: Buffer.from(eventJson).toString('base64'), p: 'abcdefgh' })),
  );
}

function streamFrames(throttleAfter: number | undefined): Buffer {
  const events = sseEvents(claudeStream).map((event) => chunkFrame(event.data));
  if (throttleAfter !== undefined) {
    events.splice(
      throttleAfter,
      events.length,
      encodeStringHeaders(
        {
          ':exception-type': 'throttlingException',
          ':content-type': 'application/json',
          ':message-type': 'exception',
        },
        enc.encode('{"message":"Too many tokens, please wait before trying again."}'),
      ),
    );
  }
  return Buffer.concat(events);
}

let seen: Seen[] = [];
let fake: Server;
let fakeUrl: string;
let gateway: TestGateway;

async function startFakeBedrock(): Promise<void> {
  fake = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      const path = req.url ?? '';
      const signatureOk = verifySignature(req.method ?? '', path, req.headers, body);
      seen.push({ path, headers: req.headers, body, signatureOk });
      if (!signatureOk) {
        res.writeHead(403, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'InvalidSignatureException',
        });
        res.end(
          '{"message":"The request signature we calculated does not match the signature you provided."}',
        );
        return;
      }
      if (path.endsWith('/invoke')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(CLAUDE_MESSAGE));
        return;
      }
      const bytes = streamFrames(path.includes('throttled') ? 3 : undefined);
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      // Small writes, so frames reach the gateway split across many reads.
      for (let at = 0; at < bytes.length; at += 37) res.write(bytes.subarray(at, at + 37));
      res.end();
    });
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  await startFakeBedrock();
  const secret = { access_key_id: ACCESS_KEY, secret_access_key: SECRET_KEY };
  gateway = await startTestGateway({
    version: 1,
    providers: [
      {
        name: 'br',
        channel: 'aws-bedrock',
        settings: { base_url: fakeUrl, region: 'us-west-2' },
        credentials: [{ label: 'iam', secret }],
      },
      {
        name: 'br-wrong',
        channel: 'aws-bedrock',
        settings: { base_url: fakeUrl },
        credentials: [{ label: 'iam', secret: { ...secret, secret_access_key: 'wrong' } }],
      },
    ],
    routes: [
      { name: 'claude-br', members: [{ provider: 'br', model: MODEL }] },
      { name: 'claude-throttled', members: [{ provider: 'br', model: 'throttled' }] },
      { name: 'claude-wrong', members: [{ provider: 'br-wrong', model: MODEL }] },
    ],
    users: [{ name: 'alice', keys: [{ label: 'laptop', key: USER_KEY }] }],
  });
});
afterAll(async () => {
  await gateway.dispose();
  await new Promise((resolve) => fake.close(resolve));
});
beforeEach(() => {
  seen = [];
});

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${USER_KEY}`,
      'anthropic-version': '2023-06-01',
    },
    body: JSON.stringify(body),
  });
}

const claudeRequest = { model: 'claude-br', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };

describe('aws-bedrock through the gateway', () => {
  it('answers a Claude request through InvokeModel, signed as AWS checks it', async () => {
    const res = await post('/v1/messages', claudeRequest);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(CLAUDE_MESSAGE);
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.signatureOk).toBe(true);
    expect(request!.path).toBe('/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke');
    expect(request!.headers['authorization']).toContain('/us-west-2/bedrock/aws4_request');
    expect(JSON.stringify(request!.headers)).not.toContain(USER_KEY);
    expect(JSON.parse(request!.body)).toEqual({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
    });
  });

  it('streams a Claude request as the Claude SSE events Bedrock wrapped', async () => {
    const res = await post('/v1/messages', { ...claudeRequest, stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = sseEvents(await res.text());
    expect(events).toEqual(sseEvents(claudeStream));
    expect(seen[0]!.signatureOk).toBe(true);
    expect(seen[0]!.path).toBe(
      '/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream',
    );
    expect(JSON.parse(seen[0]!.body)).not.toHaveProperty('stream');
  });

  it('converts an OpenAI Chat stream to Claude on Bedrock and back', async () => {
    const res = await post('/v1/chat/completions', {
      model: 'claude-br',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.status).toBe(200);
    const events = sseEvents(await res.text());
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.data));
    const text = chunks.map((chunk) => chunk.choices?.[0]?.delta?.content ?? '').join('');
    expect(text).toBe('Bonjour! 👋 "Hello".');
    expect(chunks.find((chunk) => chunk.usage)?.usage).toMatchObject({
      prompt_tokens: 2112,
      completion_tokens: 48,
    });
    expect(seen[0]!.signatureOk).toBe(true);
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ anthropic_version: 'bedrock-2023-05-31' });
  });

  it('ends a Claude stream with an error event when Bedrock throttles mid-stream', async () => {
    const res = await post('/v1/messages', { ...claudeRequest, model: 'claude-throttled', stream: true });
    expect(res.status).toBe(200);
    const events = sseEvents(await res.text());
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'error',
    ]);
    expect(JSON.parse(events[3]!.data)).toEqual({
      type: 'error',
      error: {
        type: 'rate_limit_error',
        message: 'Bedrock throttlingException: Too many tokens, please wait before trying again.',
      },
    });
  });

  it("answers Bedrock's refusal of a bad signature in Claude's error envelope", async () => {
    const res = await post('/v1/messages', { ...claudeRequest, model: 'claude-wrong' });
    expect(seen[0]!.signatureOk).toBe(false);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      type: 'error',
      error: {
        type: 'permission_error',
        message:
          'Bedrock InvalidSignatureException: The request signature we calculated does not match the signature you provided.',
      },
    });
  });
});
