/**
 * Relays a streamed upstream answer to the client chunk by chunk (no buffering), reading usage as
 * the bytes pass. It ends the client stream in the wire's own error form when the upstream fails
 * mid-stream, aborts the upstream when the client goes away, and reports how the stream ended
 * exactly once.
 */
import type { StreamFormat } from '../channel/contract';
import type { Clock } from '../core/clock';
import { toGatewayError, type GatewayError } from '../core/errors';
import type { EndState } from '../control-plane/usage-record';
import type { GenerateContentWire } from '../protocol/wire';
import type { Usage } from '../protocol/usage';
import { ProducedTextCounter } from './local-count';

export interface StreamEnd {
  endState: EndState;
  error: GatewayError | null;
  usage: Usage | undefined;
  firstByteAt: number | null;
  endedAt: number;
  /** UTF-8 bytes of generated text seen in the upstream's stream (local-count.ts). */
  producedBytes: number;
}

/** What every streamed answer (relayed or converted) is passed: the upstream bytes and its ends. */
export interface StreamAnswerOptions {
  body: AsyncIterable<Uint8Array>;
  clock: Clock;
  /** Aborts the upstream request; called when the client leaves early. */
  abortUpstream: () => void;
  /** True once the client has gone away. */
  clientGone: () => boolean;
  onEnd: (end: StreamEnd) => void;
}

export interface RelayOptions extends StreamAnswerOptions {
  wire: GenerateContentWire;
  format: StreamFormat;
  requestId: string;
}

/** The error a stream broke with while the client was still there, and how that ends the stream. */
export function streamFailure(error: unknown): { failure: GatewayError; endState: EndState } {
  const failure = toGatewayError(error);
  return { failure, endState: failure.code === 'upstream_timeout' ? 'timeout' : 'upstream-error' };
}

const encoder = new TextEncoder();

export async function* relayStream(options: RelayOptions): AsyncGenerator<Uint8Array, void, undefined> {
  const { wire, clock } = options;
  const usageReader = wire.createStreamUsageReader(options.format);
  const produced = new ProducedTextCounter();
  let firstByteAt: number | null = null;
  let endState: EndState = 'client-aborted';
  let failure: GatewayError | null = null;
  try {
    for await (const chunk of options.body) {
      usageReader.push(chunk);
      produced.push(chunk);
      if (firstByteAt === null) firstByteAt = clock.now();
      yield chunk;
    }
    endState = 'complete';
  } catch (error) {
    if (options.clientGone()) {
      endState = 'client-aborted';
    } else {
      ({ failure, endState } = streamFailure(error));
      yield encoder.encode(streamErrorTail(options, failure, firstByteAt !== null));
    }
  } finally {
    // Reached early when the client cancelled the stream (generator return): stop the upstream too.
    if (endState === 'client-aborted') options.abortUpstream();
    options.onEnd({
      endState,
      error: failure,
      usage: usageReader.finish(),
      firstByteAt,
      endedAt: clock.now(),
      producedBytes: produced.producedBytes,
    });
  }
}

/** The bytes that end a broken stream in the client's own error form. */
function streamErrorTail(options: RelayOptions, error: GatewayError, started: boolean): string {
  if (options.format === 'json-array') {
    const body = options.wire.encodeError(error, options.requestId).body;
    return started ? `,\n${body}]` : `[${body}]`;
  }
  return options.wire.encodeStreamError(error, options.requestId);
}
