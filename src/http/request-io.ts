/**
 * How the gateway reads a request body (with a size limit: 413 beyond it) and learns that the client
 * went away. The web implementation works on any runtime; the Node runtime supplies a faster one
 * that reads the socket directly instead of going through a Web ReadableStream.
 */
import { GatewayError } from '../core/errors';

export interface RequestIo {
  /** Request headers with lower-case names. */
  readHeaders(request: Request, env: unknown): Record<string, string>;
  readBody(request: Request, env: unknown, maxBytes: number): Promise<string>;
  /** Aborts when the client disconnects before the response has been sent. */
  clientSignal(request: Request, env: unknown): AbortSignal;
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
    const decoder = new TextDecoder();
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
      text += decoder.decode(value, { stream: true });
    }
    return text + decoder.decode();
  },
  clientSignal(request) {
    return request.signal;
  },
};
