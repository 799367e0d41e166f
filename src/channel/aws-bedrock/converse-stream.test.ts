import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SseDecoder, type SseEvent } from '../../core/sse';
import type { UpstreamResponse } from '../contract';
import { adaptBedrockResponse } from './adapt-response';
import { encodeStringHeaders } from './event-stream-encode';
import { streamingClaudeInput } from './test-input';

const enc = new TextEncoder();
const dec = new TextDecoder();

const fixture = (name: string): string =>
  readFileSync(
    join(import.meta.dirname, '../../protocol/wires/bedrock-converse/generate-content/fixtures', name),
    'utf8',
  );

function sseEvents(text: string): SseEvent[] {
  const decoder = new SseDecoder();
  return [...decoder.push(enc.encode(text)), ...decoder.end()];
}

/** The event-stream frames a fixture's events came in: exceptions as exception frames. */
function framesOf(sse: string): Uint8Array {
  const frames = sseEvents(sse).map((event) => {
    const type = event.event ?? '';
    const headers: Record<string, string> = type.endsWith('Exception')
      ? { ':exception-type': type, ':content-type': 'application/json', ':message-type': 'exception' }
      : { ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' };
    return encodeStringHeaders(headers, enc.encode(event.data));
  });
  return Uint8Array.from(Buffer.concat(frames));
}

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) {
    await Promise.resolve();
    yield bytes.subarray(at, at + size);
  }
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of body) text += dec.decode(chunk, { stream: true });
  return text + dec.decode();
}

const converseInput = {
  ...streamingClaudeInput,
  operation: { operation: 'generate-content', wire: 'bedrock-converse' },
  upstreamModel: 'amazon.nova-pro-v1:0',
} as const;

function upstream(
  status: number,
  body: AsyncIterable<Uint8Array>,
  headers: Record<string, string> = {},
): UpstreamResponse {
  return { status, headers, body, discard: () => Promise.resolve() };
}

describe('ConverseStream event-stream frames as the bedrock-converse SSE stream', () => {
  it('hands on one SSE event per frame, whatever the network splits', async () => {
    const sse = fixture('stream-tool-use.sse');
    for (const size of [1, 7, 64, 100_000]) {
      const adapted = adaptBedrockResponse(
        upstream(200, pieces(framesOf(sse), size), { 'content-type': 'application/vnd.amazon.eventstream' }),
        converseInput,
      );
      expect(adapted.headers['content-type']).toBe('text/event-stream');
      const events = sseEvents(await collect(adapted.body));
      expect(events.map((event) => event.event)).toEqual(sseEvents(sse).map((event) => event.event));
      expect(events.map((event) => JSON.parse(event.data))).toEqual(
        sseEvents(sse).map((event) => JSON.parse(event.data)),
      );
    }
  });

  it('ends with the exception event and reads nothing after it', async () => {
    const bytes = Buffer.concat([
      framesOf(fixture('stream-error.sse')),
      framesOf(fixture('stream.sse')), // never reached
    ]);
    const adapted = adaptBedrockResponse(upstream(200, pieces(Uint8Array.from(bytes), 13)), converseInput);
    const events = sseEvents(await collect(adapted.body));
    expect(events.at(-1)).toEqual({
      event: 'throttlingException',
      data: '{"message":"Too many tokens, please wait before trying again."}',
    });
    expect(events.filter((event) => event.event === 'messageStop')).toEqual([]);
  });

  it('turns a protocol error frame into an internalServerException', async () => {
    const frame = encodeStringHeaders(
      { ':message-type': 'error', ':error-code': 'InternalFailure', ':error-message': 'stream broke' },
      new Uint8Array(0),
    );
    const adapted = adaptBedrockResponse(upstream(200, pieces(frame, 5)), converseInput);
    expect(sseEvents(await collect(adapted.body))).toEqual([
      { event: 'internalServerException', data: '{"message":"InternalFailure: stream broke"}' },
    ]);
  });

  it('fails on a frame cut short', async () => {
    const bytes = framesOf(fixture('stream.sse'));
    const adapted = adaptBedrockResponse(
      upstream(200, pieces(bytes.subarray(0, bytes.length - 3), 50)),
      converseInput,
    );
    await expect(collect(adapted.body)).rejects.toMatchObject({ code: 'upstream_bad_response' });
  });

  it("keeps a Converse error answer in Bedrock's shape, the exception named in the message", async () => {
    const adapted = adaptBedrockResponse(
      upstream(
        400,
        pieces(enc.encode('{"message":"The model returned the following errors: bad tool"}'), 9),
        {
          'content-type': 'application/json',
          'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/',
        },
      ),
      converseInput,
    );
    expect(adapted.status).toBe(400);
    expect(JSON.parse(await collect(adapted.body))).toEqual({
      message: 'Bedrock ValidationException: The model returned the following errors: bad tool',
    });
  });

  it('passes a whole Converse answer through as it came', () => {
    const body = fixture('response.json');
    const response = upstream(200, pieces(enc.encode(body), 1000), { 'content-type': 'application/json' });
    const adapted = adaptBedrockResponse(response, { ...converseInput, stream: false });
    expect(adapted).toBe(response);
  });
});
