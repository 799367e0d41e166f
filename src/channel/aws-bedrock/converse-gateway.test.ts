/**
 * Bedrock Converse end to end: a real gproxy server in front of a fake Bedrock runtime on loopback
 * that checks every SigV4 signature, answers Converse with JSON and ConverseStream with AWS
 * event-stream frames built from the recorded Converse fixtures. Clients of every wire.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SseDecoder, type SseEvent } from '../../core/sse';
import {
  CHAT_TOOL_LOOP,
  CONVERSE_TOOL_LOOP,
} from '../../protocol/wires/bedrock-converse/generate-content/codec/test-requests';
import {
  FAKE_AWS_ACCESS_KEY,
  FAKE_AWS_SECRET_KEY,
  concatFrames,
  eventFrame,
  exceptionFrame,
  startFakeBedrock,
  type FakeBedrock,
  type FakeBedrockReply,
  type SeenBedrockRequest,
} from '../../../test/support/fake-bedrock';
import { startTestGateway, USER_KEY, type TestGateway } from '../../../test/support/gateway';

const enc = new TextEncoder();
const fixture = (name: string): string =>
  readFileSync(
    join(import.meta.dirname, '../../protocol/wires/bedrock-converse/generate-content/fixtures', name),
    'utf8',
  );

function sseEvents(text: string): SseEvent[] {
  const decoder = new SseDecoder();
  return [...decoder.push(enc.encode(text)), ...decoder.end()];
}

/** A recorded ConverseStream (SSE fixture) back in the event-stream frames Bedrock sent it in. */
function framesOf(name: string): Uint8Array {
  return concatFrames(
    sseEvents(fixture(name)).map((event) => {
      const data = JSON.parse(event.data) as Record<string, unknown>;
      const type = event.event ?? '';
      return type.endsWith('Exception')
        ? exceptionFrame(type, String(data['message']))
        : eventFrame(type, data);
    }),
  );
}

function answer(request: SeenBedrockRequest): FakeBedrockReply {
  const { path } = request;
  if (path.includes('invalid')) {
    return {
      status: 400,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ValidationException' },
      body: '{"message":"The model returned the following errors: Malformed input request"}',
    };
  }
  if (path.includes('busy')) {
    return {
      status: 429,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ThrottlingException' },
      body: '{"message":"Too many requests, please wait before trying again."}',
    };
  }
  if (path.endsWith('/converse')) return { status: 200, body: fixture('response-tool-use.json') };
  const stream = path.includes('throttled') ? 'stream-error.sse' : 'stream-tool-use.sse';
  return {
    status: 200,
    headers: { 'content-type': 'application/vnd.amazon.eventstream' },
    body: framesOf(stream),
  };
}

let fake: FakeBedrock;
let gateway: TestGateway;

beforeAll(async () => {
  fake = await startFakeBedrock(answer);
  const secret = { access_key_id: FAKE_AWS_ACCESS_KEY, secret_access_key: FAKE_AWS_SECRET_KEY };
  const provider = (name: string, settings: Record<string, unknown> = {}) => ({
    name,
    channel: 'aws-bedrock',
    settings: { base_url: fake.url, region: 'us-west-2', ...settings },
    credentials: [{ label: 'iam', secret }],
  });
  gateway = await startTestGateway({
    version: 1,
    providers: [provider('br'), provider('br-converse', { api: 'converse' })],
    routes: [
      { name: 'nova', members: [{ provider: 'br', model: 'amazon.nova-pro-v1:0' }] },
      { name: 'nova-throttled', members: [{ provider: 'br', model: 'amazon.nova-throttled-v1:0' }] },
      { name: 'nova-invalid', members: [{ provider: 'br', model: 'amazon.nova-invalid-v1:0' }] },
      { name: 'nova-busy', members: [{ provider: 'br', model: 'amazon.nova-busy-v1:0' }] },
      {
        name: 'claude-converse',
        members: [{ provider: 'br-converse', model: 'anthropic.claude-sonnet-4-5-20250929-v1:0' }],
      },
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
    headers: { 'content-type': 'application/json', authorization: `Bearer ${USER_KEY}` },
    body: JSON.stringify(body),
  });
}

function onlyRequest(): SeenBedrockRequest {
  expect(fake.seen).toHaveLength(1);
  return fake.seen[0]!;
}

const question = [{ role: 'user', content: 'Weather in Paris and Berlin?' }];

describe('aws-bedrock Converse through the gateway', () => {
  it('sends a Chat tool loop to /converse, signed, as the exact Converse body; answers in Chat', async () => {
    const res = await post('/v1/chat/completions', { ...CHAT_TOOL_LOOP, model: 'nova' });
    expect(res.status).toBe(200);
    const seen = onlyRequest();
    expect(seen.path).toBe('/model/amazon.nova-pro-v1%3A0/converse');
    expect(seen.signatureOk).toBe(true);
    expect(seen.headers['authorization']).toContain('/us-west-2/bedrock/aws4_request');
    expect(seen.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(JSON.stringify(seen.headers)).not.toContain(USER_KEY);
    expect(JSON.parse(seen.body)).toEqual(CONVERSE_TOOL_LOOP);

    const chat = await res.json();
    expect(chat.object).toBe('chat.completion');
    expect(chat.choices[0].finish_reason).toBe('tool_calls');
    expect(chat.choices[0].message.tool_calls.map((call: { function: unknown }) => call.function)).toEqual([
      { name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' },
      { name: 'get_weather', arguments: '{"city":"Berlin","unit":"c"}' },
    ]);
    expect(chat.usage).toMatchObject({ prompt_tokens: 412, completion_tokens: 138 });
  });

  it('answers a Claude client from Converse, with tool_use blocks', async () => {
    const res = await post('/v1/messages', { model: 'nova', max_tokens: 100, messages: question });
    expect(res.status).toBe(200);
    expect(onlyRequest().path).toBe('/model/amazon.nova-pro-v1%3A0/converse');
    const message = await res.json();
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      stop_reason: 'tool_use',
      model: 'nova',
    });
    expect(message.content.filter((block: { type: string }) => block.type === 'tool_use')).toEqual([
      {
        type: 'tool_use',
        id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
        name: 'get_weather',
        input: { city: 'Paris', unit: 'c' },
      },
      {
        type: 'tool_use',
        id: 'tooluse_8nUeBm2dS0O1Wg3Kx2cYdA',
        name: 'get_weather',
        input: { city: 'Berlin', unit: 'c' },
      },
    ]);
    expect(message.usage).toMatchObject({ input_tokens: 412, output_tokens: 138 });
  });

  it('answers a Gemini client from Converse, with functionCall parts', async () => {
    const res = await post('/v1beta/models/nova:generateContent', {
      contents: [{ role: 'user', parts: [{ text: 'Weather in Paris and Berlin?' }] }],
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(onlyRequest().body)).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Weather in Paris and Berlin?' }] }],
    });
    const gemini = await res.json();
    const calls = gemini.candidates[0].content.parts.filter(
      (part: { functionCall?: unknown }) => part.functionCall,
    );
    expect(calls.map((part: { functionCall: { args: unknown } }) => part.functionCall.args)).toEqual([
      { city: 'Paris', unit: 'c' },
      { city: 'Berlin', unit: 'c' },
    ]);
  });

  it('streams a Chat client from /converse-stream: tool-call deltas and the usage chunk', async () => {
    const res = await post('/v1/chat/completions', {
      model: 'nova',
      stream: true,
      stream_options: { include_usage: true },
      messages: question,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const seen = onlyRequest();
    expect(seen.path).toBe('/model/amazon.nova-pro-v1%3A0/converse-stream');
    expect(seen.signatureOk).toBe(true);
    expect(seen.headers['accept']).toBe('application/vnd.amazon.eventstream');
    const events = sseEvents(await res.text());
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.data));
    const calls = chunks.flatMap((chunk) => chunk.choices?.[0]?.delta?.tool_calls ?? []);
    const args = (index: number) =>
      calls
        .filter((call: { index: number }) => call.index === index)
        .map((call) => call.function?.arguments ?? '')
        .join('');
    expect(args(0)).toBe('{"city": "Paris"}');
    expect(args(1)).toBe('{"city": "Berlin"}');
    expect(chunks.at(-1).usage).toMatchObject({ prompt_tokens: 412, completion_tokens: 71 });
  });

  it('streams Claude and Gemini clients from ConverseStream', async () => {
    const claude = await post('/v1/messages', {
      model: 'nova',
      max_tokens: 100,
      stream: true,
      messages: question,
    });
    const claudeEvents = sseEvents(await claude.text());
    expect(claudeEvents[0]?.event).toBe('message_start');
    expect(claudeEvents.at(-1)?.event).toBe('message_stop');
    const deltas = claudeEvents
      .map((event) => JSON.parse(event.data))
      .filter((d) => d.type === 'content_block_delta');
    expect(
      deltas
        .filter((d) => d.delta.type === 'input_json_delta')
        .map((d) => d.delta.partial_json)
        .join(''),
    ).toBe('{"city": "Paris"}{"city": "Berlin"}');

    const gemini = await post('/v1beta/models/nova:streamGenerateContent?alt=sse', {
      contents: [{ role: 'user', parts: [{ text: 'Weather?' }] }],
    });
    const chunks = sseEvents(await gemini.text()).map((event) => JSON.parse(event.data));
    expect(chunks.at(-1).usageMetadata).toMatchObject({ promptTokenCount: 412, candidatesTokenCount: 71 });
    expect(fake.seen.map((seen) => seen.path)).toEqual([
      '/model/amazon.nova-pro-v1%3A0/converse-stream',
      '/model/amazon.nova-pro-v1%3A0/converse-stream',
    ]);
  });

  it('ends the client stream with its own error event when Bedrock throttles mid-stream', async () => {
    const chat = await post('/v1/chat/completions', {
      model: 'nova-throttled',
      stream: true,
      messages: question,
    });
    expect(chat.status).toBe(200);
    const chatEvents = sseEvents(await chat.text());
    expect(JSON.parse(chatEvents.at(-1)!.data)).toMatchObject({
      error: {
        type: 'rate_limit_error',
        code: 'rate_limited',
        message: 'Bedrock throttlingException: Too many tokens, please wait before trying again.',
      },
    });

    const claude = await post('/v1/messages', {
      model: 'nova-throttled',
      max_tokens: 9,
      stream: true,
      messages: question,
    });
    const last = sseEvents(await claude.text()).at(-1);
    expect(last?.event).toBe('error');
    expect(JSON.parse(last!.data)).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('surfaces a Converse 400 in the client’s error format, naming the exception', async () => {
    const res = await post('/v1/chat/completions', { model: 'nova-invalid', messages: question });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request' });
    expect(body.error.message).toContain(
      'Bedrock ValidationException: The model returned the following errors',
    );

    const claude = await post('/v1/messages', { model: 'nova-invalid', max_tokens: 9, messages: question });
    expect(claude.status).toBe(400);
    expect((await claude.json()).error.type).toBe('invalid_request_error');
  });

  it('classifies a Converse 429 as rate limited, with the exception in the message', async () => {
    const res = await post('/v1/chat/completions', { model: 'nova-busy', messages: question });
    expect(res.status).toBe(429);
    const body = await res.json();
    expect(body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });
    expect(body.error.message).toContain('Bedrock ThrottlingException: Too many requests');
  });

  it('sends a Claude model to Converse when the provider says api: converse', async () => {
    const res = await post('/v1/messages', { model: 'claude-converse', max_tokens: 100, messages: question });
    expect(res.status).toBe(200);
    const seen = onlyRequest();
    expect(seen.path).toBe('/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse');
    expect(JSON.parse(seen.body)).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Weather in Paris and Berlin?' }] }],
      inferenceConfig: { maxTokens: 100 },
    });
  });
});
