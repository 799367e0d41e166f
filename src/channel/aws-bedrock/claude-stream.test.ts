import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors';
import { SseDecoder, encodeSseEvent, type SseEvent } from '../../core/sse';
import type { StreamEvent } from '../../protocol/canonical/stream-events';
import { TransformWarnings } from '../../protocol/canonical/warnings';
import { claudeCodec } from '../../protocol/wires/claude/generate-content/codec';
import { createClaudeStreamUsageReader } from '../../protocol/wires/claude/generate-content/usage';
import type { UpstreamResponse } from '../contract';
import { adaptBedrockResponse } from './adapt-response';
import { claudeSseFromEventStream } from './claude-stream';
import { encodeStringHeaders } from './event-stream-encode';
import { streamingClaudeInput } from './test-input';

const enc = new TextEncoder();
const dec = new TextDecoder();

const claudeFixture = readFileSync(
  join(import.meta.dirname, '../../protocol/wires/claude/generate-content/fixtures/stream.sse'),
  'utf8',
);

function sseEvents(text: string): SseEvent[] {
  const decoder = new SseDecoder();
  return [...decoder.push(enc.encode(text)), ...decoder.end()];
}

/** A `chunk` frame as Bedrock sends it, random-length padding field `p` included. */
function chunkFrame(eventJson: string, padding = 'abcdefghijklmnop'): Uint8Array {
  const payload = JSON.stringify({ bytes: Buffer.from(eventJson).toString('base64'), p: padding });
  return encodeStringHeaders(
    { ':event-type': 'chunk', ':content-type': 'application/json', ':message-type': 'event' },
    enc.encode(payload),
  );
}

function exceptionFrame(type: string, message: string): Uint8Array {
  return encodeStringHeaders(
    { ':exception-type': type, ':content-type': 'application/json', ':message-type': 'exception' },
    enc.encode(JSON.stringify({ message })),
  );
}

function concat(parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    // A tick per chunk, as a socket delivers them.
    await Promise.resolve();
    yield part;
  }
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of body) text += dec.decode(chunk, { stream: true });
  return text + dec.decode();
}

function decodeCanonical(text: string): StreamEvent[] {
  const decoder = claudeCodec.createStreamDecoder({ warnings: new TransformWarnings() });
  const events = sseEvents(text).flatMap((event) => decoder.push(event));
  return [...events, ...decoder.end()];
}

/** The Claude fixture stream as Bedrock wraps it, and the SSE text it must come back as. */
const fixtureEvents = sseEvents(claudeFixture);
const bedrockStream = concat(fixtureEvents.map((event) => chunkFrame(event.data)));
const expectedSse = fixtureEvents.map((event) => encodeSseEvent(event.data, event.event)).join('');

const input = streamingClaudeInput;

function response(status: number, body: AsyncIterable<Uint8Array>): UpstreamResponse {
  return {
    status,
    headers: {
      'content-type': 'application/vnd.amazon.eventstream',
      'content-length': '999',
      'x-amzn-requestid': 'req-1',
      'x-amzn-bedrock-content-type': 'application/json',
    },
    body,
    discard: () => Promise.resolve(),
  };
}

describe('Bedrock event stream to Claude SSE', () => {
  it('gives back the Claude stream byte for byte, at every split point', async () => {
    expect(fixtureEvents.length).toBe(9);
    for (let cut = 0; cut <= bedrockStream.length; cut++) {
      const text = await collect(
        claudeSseFromEventStream(chunks(bedrockStream.subarray(0, cut), bedrockStream.subarray(cut))),
      );
      expect(text).toBe(expectedSse);
    }
  });

  it('is a stream the Claude usage reader and codec read like the original', async () => {
    const adapted = adaptBedrockResponse(response(200, chunks(bedrockStream)), input);
    expect(adapted.headers).toEqual({
      'content-type': 'text/event-stream',
      'x-amzn-requestid': 'req-1',
    });
    const reader = createClaudeStreamUsageReader();
    let text = '';
    for await (const chunk of adapted.body) {
      reader.push(chunk);
      text += dec.decode(chunk);
    }
    expect(reader.finish()).toEqual({
      inputTokens: 2112,
      outputTokens: 48,
      cachedInputTokens: 2000,
      cacheCreationTokens: 100,
      reasoningTokens: 0,
    });
    expect(decodeCanonical(text)).toEqual(decodeCanonical(claudeFixture));
    expect(decodeCanonical(text).at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it("keeps Bedrock's invocation metrics inside message_stop", async () => {
    const stop =
      '{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":12,"outputTokenCount":48,"invocationLatency":900,"firstByteLatency":300}}';
    expect(await collect(claudeSseFromEventStream(chunks(chunkFrame(stop))))).toBe(
      `event: message_stop\ndata: ${stop}\n\n`,
    );
  });

  it('ends with a Claude error event on an exception frame, dropping whatever follows', async () => {
    let released = false;
    async function* upstream(): AsyncGenerator<Uint8Array> {
      try {
        await Promise.resolve();
        yield concat([
          chunkFrame(fixtureEvents[0]!.data),
          exceptionFrame('throttlingException', 'Too many tokens'),
        ]);
        yield chunkFrame('{"type":"message_stop"}');
      } finally {
        released = true;
      }
    }
    const text = await collect(claudeSseFromEventStream(upstream()));
    expect(text).toBe(
      encodeSseEvent(fixtureEvents[0]!.data, 'message_start') +
        'event: error\ndata: {"type":"error","error":{"type":"rate_limit_error","message":"Bedrock throttlingException: Too many tokens"}}\n\n',
    );
    expect(released).toBe(true);
    const last = decodeCanonical(text).at(-1);
    expect(last?.type === 'error' && last.error.message).toBe('Bedrock throttlingException: Too many tokens');
  });

  it.each([
    ['modelStreamErrorException', 'api_error'],
    ['serviceUnavailableException', 'overloaded_error'],
    ['modelTimeoutException', 'timeout_error'],
    ['validationException', 'invalid_request_error'],
    ['internalServerException', 'api_error'],
    ['somethingNewException', 'api_error'],
  ])('maps %s to %s', async (exception, claudeType) => {
    const text = await collect(claudeSseFromEventStream(chunks(exceptionFrame(exception, 'boom'))));
    expect(JSON.parse(sseEvents(text)[0]!.data)).toEqual({
      type: 'error',
      error: { type: claudeType, message: `Bedrock ${exception}: boom` },
    });
  });

  it('ends with a Claude error event on an event-stream protocol error frame', async () => {
    const frame = encodeStringHeaders(
      { ':message-type': 'error', ':error-code': 'InternalFailure', ':error-message': 'oops' },
      new Uint8Array(),
    );
    expect(await collect(claudeSseFromEventStream(chunks(frame)))).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"Bedrock InternalFailure: oops"}}\n\n',
    );
  });

  it('skips events other than chunk', async () => {
    const other = encodeStringHeaders(
      { ':message-type': 'event', ':event-type': 'initial-response' },
      enc.encode('{}'),
    );
    expect(await collect(claudeSseFromEventStream(chunks(other, chunkFrame('{"type":"ping"}'))))).toBe(
      'event: ping\ndata: {"type":"ping"}\n\n',
    );
  });

  it('fails with upstream_bad_response on a corrupt frame, a cut stream or an undecodable chunk', async () => {
    const corrupt = chunkFrame('{"type":"ping"}');
    corrupt[corrupt.length - 20]! ^= 0xff;
    const cases: Uint8Array[] = [
      corrupt,
      chunkFrame('{"type":"ping"}').subarray(0, 40),
      encodeStringHeaders(
        { ':message-type': 'event', ':event-type': 'chunk' },
        enc.encode('{"bytes":"%%%"}'),
      ),
      encodeStringHeaders({ ':message-type': 'event', ':event-type': 'chunk' }, enc.encode('{"nope":1}')),
      chunkFrame('{"no_type":true}'),
      chunkFrame('not json'),
    ];
    for (const frame of cases) {
      const error = await collect(claudeSseFromEventStream(chunks(frame))).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).code).toBe('upstream_bad_response');
    }
  });
});
