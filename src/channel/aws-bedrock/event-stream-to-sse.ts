/**
 * Re-framing an AWS event-stream body as SSE text, one frame at a time, for both Bedrock stream
 * shapes (InvokeModel's Claude chunks and ConverseStream's events): each decides per frame what
 * SSE to emit and whether the stream ends there.
 */
import { EventStreamDecoder, type EventStreamMessage } from './event-stream';

export type FrameToSse = (message: EventStreamMessage) => { sse: string; end: boolean };

const utf8Encoder = new TextEncoder();

export async function* sseFromEventStream(
  body: AsyncIterable<Uint8Array>,
  frameToSse: FrameToSse,
): AsyncGenerator<Uint8Array, void, undefined> {
  const decoder = new EventStreamDecoder();
  for await (const chunk of body) {
    let out = '';
    for (const message of decoder.push(chunk)) {
      const { sse, end } = frameToSse(message);
      out += sse;
      if (end) {
        // Leaving the loop releases the upstream body: nothing after an exception is meaningful.
        yield utf8Encoder.encode(out);
        return;
      }
    }
    if (out !== '') yield utf8Encoder.encode(out);
  }
  decoder.end();
}
