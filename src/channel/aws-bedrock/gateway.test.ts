/**
 * The aws-bedrock channel's InvokeModel path end to end: a real gproxy server in front of a fake
 * Bedrock runtime on loopback (test/support/fake-bedrock.ts, which checks every SigV4 signature)
 * answering InvokeModel with Claude JSON and InvokeModelWithResponseStream with AWS event-stream
 * frames written in small pieces. The Converse path: converse-gateway.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SseDecoder, type SseEvent } from '../../core/sse';
import {
  FAKE_AWS_ACCESS_KEY,
  FAKE_AWS_SECRET_KEY,
  startFakeBedrock,
  type FakeBedrock,
  type FakeBedrockReply,
  type SeenBedrockRequest,
} from '../../../test/support/fake-bedrock';
import { startTestGateway, USER_KEY, type TestGateway } from '../../../test/support/gateway';
import { encodeStringHeaders } from './event-stream-encode';

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

let fake: FakeBedrock;
let gateway: TestGateway;

function answer(request: SeenBedrockRequest): FakeBedrockReply {
  if (request.path.endsWith('/invoke')) return { status: 200, body: JSON.stringify(CLAUDE_MESSAGE) };
  return {
    status: 200,
    headers: { 'content-type': 'application/vnd.amazon.eventstream' },
    body: streamFrames(request.path.includes('throttled') ? 3 : undefined),
  };
}

beforeAll(async () => {
  fake = await startFakeBedrock(answer);
  const secret = { access_key_id: FAKE_AWS_ACCESS_KEY, secret_access_key: FAKE_AWS_SECRET_KEY };
  gateway = await startTestGateway({
    version: 1,
    providers: [
      {
        name: 'br',
        channel: 'aws-bedrock',
        settings: { base_url: fake.url, region: 'us-west-2' },
        credentials: [{ label: 'iam', secret }],
      },
      {
        name: 'br-wrong',
        channel: 'aws-bedrock',
        settings: { base_url: fake.url },
        credentials: [{ label: 'iam', secret: { ...secret, secret_access_key: 'wrong' } }],
      },
    ],
    routes: [
      { name: 'claude-br', members: [{ provider: 'br', model: MODEL }] },
      { name: 'claude-throttled', members: [{ provider: 'br', model: 'anthropic.throttled-v1:0' }] },
      { name: 'claude-wrong', members: [{ provider: 'br-wrong', model: MODEL }] },
    ],
    users: [{ name: 'alice', permissions: ['*'], keys: [{ label: 'laptop', key: USER_KEY }] }],
  });
});
afterAll(async () => {
  await gateway.dispose();
  await fake.close();
});
beforeEach(() => {
  fake.seen.length = 0;
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
    expect(fake.seen).toHaveLength(1);
    const [request] = fake.seen;
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
    expect(fake.seen[0]!.signatureOk).toBe(true);
    expect(fake.seen[0]!.path).toBe(
      '/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream',
    );
    expect(JSON.parse(fake.seen[0]!.body)).not.toHaveProperty('stream');
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
    expect(fake.seen[0]!.signatureOk).toBe(true);
    expect(JSON.parse(fake.seen[0]!.body)).toMatchObject({ anthropic_version: 'bedrock-2023-05-31' });
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
    expect(fake.seen[0]!.signatureOk).toBe(false);
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
