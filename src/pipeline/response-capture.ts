/**
 * Response capture for the request log (instance setting `capture_responses`): the answer the
 * client received — status, headers and body — taken as it passes. A streamed body is not buffered
 * a second time: its bytes are kept as they go by until `capture_max_bytes`, and only counted
 * after that. Nothing here runs when capture is off (the pipeline creates no ResponseCapture).
 *
 * A request settles (and builds its log record) at its own time: streams at their last upstream
 * byte, a synthetic stream before its keep-alive body has even started. So the record waits for
 * whichever comes last, settlement or the end of the client's answer (whenEnded).
 */
import { toGatewayError } from '../core/errors';
import { capturedText, redactHeaders } from '../core/redact';
import { utf8ByteLength } from '../core/utf8';
import type { InstanceSettings } from '../control-plane/instance-settings';
import type { WireKind } from '../protocol/operation';
import { GENERATE_CONTENT_WIRES } from '../protocol/wires';
import type { GatewayResponse, ResponseBody } from './gateway-request';
import { ROUTE_HEADER, routeHeaderOf } from './route-header';

export interface CapturedResponse {
  /** The status the client got (a keep-alive stream's 200 even when its answer then failed). */
  status: number;
  /** The answer's headers, redacted. */
  headers: Record<string, string>;
  /** The body as text, redacted; cut at the cap with a `…[truncated N bytes]` marker. */
  body: string;
  /** The whole body's size in bytes, however much of it was kept. */
  bodyBytes: number;
  truncated: boolean;
}

const encoder = new TextEncoder();

/** A capture for one request when the settings keep answers in logged records; null otherwise. */
export function responseCaptureFor(settings: InstanceSettings, logged: boolean): ResponseCapture | null {
  return logged && settings.capture_responses && settings.request_log !== 'off'
    ? new ResponseCapture(settings.capture_max_bytes, settings.request_log === 'errors')
    : null;
}

export class ResponseCapture {
  private status = 0;
  private headers: Record<string, string> = {};
  private readonly kept: Uint8Array[] = [];
  private keptBytes = 0;
  private totalBytes = 0;
  private ended = false;
  private pending: ((response: CapturedResponse) => void) | null = null;

  constructor(
    private readonly maxBytes: number,
    /**
     * `request_log: errors`: a whole successful answer completes, so its record is almost never
     * written; its body is only measured, not copied. (A stream may still fail: it is kept.)
     */
    private readonly errorsOnly = false,
  ) {}

  /** The client's answer, its body captured as it passes (a whole body at once). */
  tap(response: GatewayResponse): GatewayResponse {
    this.status = response.status;
    this.headers = redactHeaders(response.headers);
    const body = response.body;
    if (typeof body === 'string' || body instanceof Uint8Array) {
      if (this.errorsOnly && response.status < 400) {
        this.totalBytes = typeof body === 'string' ? utf8ByteLength(body) : body.byteLength;
      } else {
        this.push(typeof body === 'string' ? encoder.encode(body) : body);
      }
      this.end();
      return response;
    }
    return { ...response, body: this.relay(body) };
  }

  /** The error the client is answered with instead: encoded as http/error-response.ts sends it. */
  failed(wire: WireKind, error: unknown, requestId: string): void {
    if (this.ended) return;
    const encoded = GENERATE_CONTENT_WIRES[wire].encodeError(toGatewayError(error), requestId);
    const headers = { ...encoded.headers };
    const routeHeader = routeHeaderOf(error);
    if (routeHeader !== undefined) headers[ROUTE_HEADER] = routeHeader;
    this.status = encoded.status;
    this.headers = redactHeaders(headers);
    this.push(encoder.encode(encoded.body));
    this.end();
  }

  /** Calls `write` once the client's answer has ended: now if it has, else when it does. */
  whenEnded(write: (response: CapturedResponse) => void): void {
    if (this.ended) write(this.result());
    else this.pending = write;
  }

  private async *relay(body: Exclude<ResponseBody, string | Uint8Array>): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of body) {
        this.push(chunk);
        yield chunk;
      }
    } finally {
      // Also reached when the client leaves (return) or the body fails: the record says what went.
      this.end();
    }
  }

  private push(chunk: Uint8Array): void {
    this.totalBytes += chunk.byteLength;
    const room = this.maxBytes - this.keptBytes;
    if (room <= 0) return;
    // Chunks are not reused once yielded: keeping a view costs no copy.
    const part = chunk.byteLength <= room ? chunk : chunk.subarray(0, room);
    this.kept.push(part);
    this.keptBytes += part.byteLength;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    const write = this.pending;
    this.pending = null;
    write?.(this.result());
  }

  private result(): CapturedResponse {
    const bytes = new Uint8Array(this.keptBytes);
    let offset = 0;
    for (const part of this.kept) {
      bytes.set(part, offset);
      offset += part.byteLength;
    }
    return {
      status: this.status,
      headers: this.headers,
      body: capturedText(bytes, this.totalBytes),
      bodyBytes: this.totalBytes,
      truncated: this.totalBytes > this.keptBytes,
    };
  }
}
