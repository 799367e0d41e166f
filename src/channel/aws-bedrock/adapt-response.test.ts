import { describe, expect, it } from 'vitest';
import type { UpstreamResponse } from '../contract';
import { adaptBedrockResponse } from './adapt-response';
import { encodeStringHeaders } from './event-stream-encode';
import { streamingClaudeInput } from './test-input';

const enc = new TextEncoder();
const dec = new TextDecoder();

const input = streamingClaudeInput;

async function* chunks(...parts: string[] | Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    // A tick per chunk, as a socket delivers them.
    await Promise.resolve();
    yield typeof part === 'string' ? enc.encode(part) : part;
  }
}

async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  let out = '';
  for await (const chunk of body) out += dec.decode(chunk, { stream: true });
  return out + dec.decode();
}

function response(
  status: number,
  body: AsyncIterable<Uint8Array>,
  headers: Record<string, string> = {},
): UpstreamResponse {
  return {
    status,
    headers: { 'content-length': '999', 'x-amzn-requestid': 'req-1', ...headers },
    body,
    discard: () => Promise.resolve(),
  };
}

describe('adaptBedrockResponse', () => {
  it('leaves a whole answer as it came', () => {
    const plain = response(200, chunks('{}'), { 'content-type': 'application/json' });
    expect(adaptBedrockResponse(plain, { ...input, stream: false })).toBe(plain);
  });

  it('re-frames a successful stream as Claude SSE', async () => {
    const frame = encodeStringHeaders(
      { ':message-type': 'event', ':event-type': 'chunk' },
      enc.encode(JSON.stringify({ bytes: Buffer.from('{"type":"ping"}').toString('base64') })),
    );
    const adapted = adaptBedrockResponse(
      response(200, chunks(frame), {
        'content-type': 'application/vnd.amazon.eventstream',
        'x-amzn-bedrock-content-type': 'application/json',
      }),
      input,
    );
    expect(adapted.status).toBe(200);
    expect(adapted.headers).toEqual({ 'content-type': 'text/event-stream', 'x-amzn-requestid': 'req-1' });
    expect(await text(adapted.body)).toBe('event: ping\ndata: {"type":"ping"}\n\n');
  });

  it.each([
    [400, 'ValidationException', 'invalid_request_error'],
    [403, 'AccessDeniedException', 'permission_error'],
    [404, 'ResourceNotFoundException', 'not_found_error'],
    [429, 'ThrottlingException', 'rate_limit_error'],
    [500, 'InternalServerException', 'api_error'],
    [503, 'ServiceUnavailableException', 'overloaded_error'],
    [408, 'ModelTimeoutException', 'timeout_error'],
    [424, 'ModelErrorException', 'invalid_request_error'],
  ])('puts a %i %s in the Claude error envelope', async (status, exception, claudeType) => {
    for (const stream of [true, false]) {
      const adapted = adaptBedrockResponse(
        response(status, chunks('{"message":', '"It went wrong."}'), {
          'content-type': 'application/json',
          'x-amzn-errortype': `${exception}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
        }),
        { ...input, stream },
      );
      expect(adapted.status).toBe(status);
      expect(adapted.headers).toEqual({
        'content-type': 'application/json',
        'x-amzn-requestid': 'req-1',
        'x-amzn-errortype': `${exception}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      });
      expect(JSON.parse(await text(adapted.body))).toEqual({
        type: 'error',
        error: { type: claudeType, message: `Bedrock ${exception}: It went wrong.` },
      });
    }
  });

  it('keeps a non-JSON error text as the message, capped', async () => {
    const adapted = adaptBedrockResponse(response(502, chunks('<html>Bad Gateway</html>')), input);
    expect(JSON.parse(await text(adapted.body))).toEqual({
      type: 'error',
      error: { type: 'api_error', message: '<html>Bad Gateway</html>' },
    });
    const huge = adaptBedrockResponse(response(500, chunks('x'.repeat(200_000))), input);
    expect(JSON.parse(await text(huge.body)).error.message).toHaveLength(1000);
  });

  it('passes discard through to the upstream response', async () => {
    let discarded = false;
    const upstream = { ...response(200, chunks()), discard: () => ((discarded = true), Promise.resolve()) };
    await adaptBedrockResponse(upstream, input).discard();
    expect(discarded).toBe(true);
  });
});
