/**
 * How the gateway reads a request body (with a size limit: 413 beyond it), learns that the client
 * went away, and (optionally) writes the answer. The web implementation works on any runtime; the
 * Node runtime supplies a faster one that reads and writes the socket directly instead of going
 * through Web ReadableStreams (decisions 0004 and 0007).
 */
import { GatewayError } from '../core/errors';
import { Utf8StreamDecoder } from '../core/utf8';
import type { GatewayResponse } from '../pipeline/gateway-request';

export interface RequestIo {
  /** Request headers with lower-case names. */
  readHeaders(request: Request, env: unknown): Record<string, string>;
  readBody(request: Request, env: unknown, maxBytes: number): Promise<string>;
  /** Aborts when the client disconnects before the response has been sent. */
  clientSignal(request: Request, env: unknown): AbortSignal;
  /**
   * Writes the answer through the runtime's own response object, when it has one, and returns the
   * Response the framework must be given in its place (a "sent already" marker); undefined means
   * the caller builds a Web Response. Streamed bodies are pulled as the client takes them, and the
   * iterator is returned early when the client goes away.
   */
  sendAnswer?(env: unknown, answer: GatewayResponse): Response | undefined;
}

export function tooLarge(maxBytes: number): GatewayError {
  return new GatewayError('payload_too_large', `Request body exceeds the limit of ${maxBytes} bytes.`);
}

export const webRequestIo: RequestIo = {
  readHeaders(request) {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return headers;
  },
  async readBody(request, _env, maxBytes) {
    const declared = Number(request.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) throw tooLarge(maxBytes);
    if (request.body === null) return '';
    const reader = request.body.getReader();
    const decoder = new Utf8StreamDecoder();
    let text = '';
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw tooLarge(maxBytes);
      }
      text += decoder.decode(value);
    }
    return text + decoder.end();
  },
  clientSignal(request) {
    return request.signal;
  },
};
