/**
 * Converts a streamed upstream answer event by event: upstream bytes -> SSE events -> canonical
 * events (the upstream wire's decoder) -> the client wire's stream text. Nothing waits for the
 * whole answer; the first client bytes leave with the first upstream event. Usage is read from
 * the canonical usage events.
 */
import type { GatewayError } from '../../core/errors';
import { SseDecoder } from '../../core/sse';
import type { EncodeStreamContext } from '../../protocol/canonical/codec';
import type { StreamEvent } from '../../protocol/canonical/stream-events';
import { mergeUsage, type Usage } from '../../protocol/usage';
import { ProducedTextCounter } from '../local-count';
import { streamFailure, type StreamAnswerOptions, type StreamEnd } from '../relay-stream';
import type { Conversion } from './request-conversion';

export interface ConvertStreamOptions extends StreamAnswerOptions {
  conversion: Conversion;
  encodeContext: EncodeStreamContext;
}

const textEncoder = new TextEncoder();

export async function* convertStream(
  options: ConvertStreamOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  const { conversion, clock } = options;
  const sse = new SseDecoder();
  const decoder = conversion.upstream.createStreamDecoder({ warnings: conversion.warnings });
  const encoder = conversion.client.createStreamEncoder(options.encodeContext);
  let usage: Usage | undefined;
  const produced = new ProducedTextCounter();
  let firstByteAt: number | null = null;
  let endState: StreamEnd['endState'] = 'client-aborted';
  let failure: GatewayError | null = null;

  const encode = (events: StreamEvent[]): string => {
    let out = '';
    for (const event of events) {
      if (event.type === 'usage') usage = mergeUsage(usage, event.usage);
      if (event.type === 'error') failure = event.error;
      out += encoder.push(event);
    }
    return out;
  };

  try {
    for await (const chunk of options.body) {
      produced.push(chunk);
      let out = '';
      for (const event of sse.push(chunk)) out += encode(decoder.push(event));
      if (out !== '') {
        firstByteAt ??= clock.now();
        yield textEncoder.encode(out);
      }
    }
    let tail = '';
    for (const event of sse.end()) tail += encode(decoder.push(event));
    tail += encode(decoder.end());
    tail += encoder.end();
    endState = failure === null ? 'complete' : 'upstream-error';
    if (tail !== '') yield textEncoder.encode(tail);
  } catch (error) {
    if (options.clientGone()) {
      endState = 'client-aborted';
    } else {
      ({ failure, endState } = streamFailure(error));
      const tail = encoder.push({ type: 'error', error: failure }) + encoder.end();
      yield textEncoder.encode(tail);
    }
  } finally {
    if (endState === 'client-aborted') options.abortUpstream();
    options.onEnd({
      endState,
      error: failure,
      usage,
      firstByteAt,
      endedAt: clock.now(),
      producedBytes: produced.producedBytes,
    });
  }
}
