/**
 * Turns a pipeline answer into a Web Response; streamed bodies are pulled chunk by chunk. Runtimes
 * with a faster way to write answers supply RequestIo.sendAnswer instead (Node: decision 0007).
 */
import type { GatewayResponse } from '../pipeline/gateway-request';

export function toResponse(answer: GatewayResponse): Response {
  const body = answer.body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    return new Response(body as BodyInit, { status: answer.status, headers: answer.headers });
  }
  return new Response(toReadableStream(body), { status: answer.status, headers: answer.headers });
}

/** Pull-based, so nothing is read from the upstream faster than the client takes it. */
function toReadableStream(iterable: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = iterable[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await iterator.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
