/** Reads a whole (non-streamed) upstream body, bounded so a runaway upstream cannot exhaust memory. */
import { GatewayError } from '../core/errors';

export async function collectBody(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      throw new GatewayError('upstream_bad_response', `Upstream response exceeds ${maxBytes} bytes.`, {
        retryable: false,
      });
    }
    chunks.push(chunk);
  }
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
