/**
 * Incremental decoder of the AWS event-stream binary framing (application/vnd.amazon.eventstream):
 *
 *   total length (u32) | headers length (u32) | prelude CRC32 (u32) | headers | payload | message CRC32 (u32)
 *
 * Bytes are fed as they arrive, split anywhere. The decoder holds at most one frame plus the chunk
 * being read, checks the prelude CRC before trusting the length (so a corrupt length cannot make it
 * wait for gigabytes), refuses frames above a size cap, and checks the message CRC.
 */
import { GatewayError } from '../../core/errors';
import { crc32 } from './crc32';

export type EventStreamHeaderValue =
  | { type: 'boolean'; value: boolean }
  | { type: 'byte' | 'short' | 'integer'; value: number }
  | { type: 'long' | 'timestamp'; value: bigint }
  | { type: 'binary' | 'uuid'; value: Uint8Array }
  | { type: 'string'; value: string };

export interface EventStreamMessage {
  headers: Record<string, EventStreamHeaderValue>;
  payload: Uint8Array;
}

export interface EventStreamDecoderOptions {
  /** Largest frame accepted, in bytes. Default 16 MiB. */
  maxMessageSize?: number;
}

export const DEFAULT_MAX_EVENT_STREAM_MESSAGE = 16 * 1024 * 1024;

const PRELUDE = 12;
/** Prelude plus the trailing message CRC. */
const OVERHEAD = 16;
const utf8 = new TextDecoder('utf-8');

function malformed(message: string): GatewayError {
  return new GatewayError('upstream_bad_response', `Malformed AWS event stream: ${message}`);
}

export class EventStreamDecoder {
  private readonly maxMessageSize: number;
  private parts: Uint8Array[] = [];
  private size = 0;
  /** Total length of the frame being assembled, once its prelude has been checked. */
  private needed: number | undefined;

  constructor(options: EventStreamDecoderOptions = {}) {
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_EVENT_STREAM_MESSAGE;
  }

  /** Feeds the next bytes; returns the frames they complete. Throws GatewayError on corrupt input. */
  push(chunk: Uint8Array): EventStreamMessage[] {
    const out: EventStreamMessage[] = [];
    if (chunk.length === 0) return out;
    this.parts.push(chunk);
    this.size += chunk.length;
    for (;;) {
      if (this.needed === undefined) {
        if (this.size < PRELUDE) break;
        this.needed = this.readPrelude(this.take(PRELUDE));
      }
      if (this.size < this.needed) break;
      const all = this.take(this.size);
      out.push(decodeFrame(all.subarray(0, this.needed)));
      const rest = all.subarray(this.needed);
      this.parts = rest.length > 0 ? [rest] : [];
      this.size = rest.length;
      this.needed = undefined;
    }
    return out;
  }

  /** Call at the end of the body: bytes of an unfinished frame mean the stream was cut short. */
  end(): void {
    if (this.size > 0) throw malformed(`the stream ended inside a frame (${this.size} bytes left over)`);
  }

  /** The first `count` buffered bytes as one array; joins the parts in place when they are split. */
  private take(count: number): Uint8Array {
    const first = this.parts[0];
    if (first !== undefined && first.length >= count) return first;
    const joined = new Uint8Array(this.size);
    let at = 0;
    for (const part of this.parts) {
      joined.set(part, at);
      at += part.length;
    }
    this.parts = [joined];
    return joined;
  }

  private readPrelude(bytes: Uint8Array): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset, PRELUDE);
    const total = view.getUint32(0);
    const headersLength = view.getUint32(4);
    if (crc32(bytes, 0, 8) !== view.getUint32(8)) throw malformed('prelude checksum mismatch');
    if (total < OVERHEAD || headersLength > total - OVERHEAD) {
      throw malformed(`impossible lengths (total ${total}, headers ${headersLength})`);
    }
    if (total > this.maxMessageSize) {
      throw malformed(`a frame of ${total} bytes exceeds the ${this.maxMessageSize}-byte limit`);
    }
    return total;
  }
}

/** Decodes one whole frame (prelude already checked by the caller or not: it is checked again). */
export function decodeFrame(frame: Uint8Array): EventStreamMessage {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (frame.length < OVERHEAD || view.getUint32(0) !== frame.length) throw malformed('bad frame length');
  if (crc32(frame, 0, 8) !== view.getUint32(8)) throw malformed('prelude checksum mismatch');
  const end = frame.length - 4;
  if (crc32(frame, 0, end) !== view.getUint32(end)) throw malformed('message checksum mismatch');
  const headersEnd = PRELUDE + view.getUint32(4);
  return { headers: decodeHeaders(frame, view, headersEnd), payload: frame.slice(headersEnd, end) };
}

function decodeHeaders(
  frame: Uint8Array,
  view: DataView,
  end: number,
): Record<string, EventStreamHeaderValue> {
  // No prototype: a header named `__proto__` must stay a header.
  const headers = Object.create(null) as Record<string, EventStreamHeaderValue>;
  let at = PRELUDE;
  const need = (count: number): void => {
    if (at + count > end) throw malformed('a header runs past the headers section');
  };
  while (at < end) {
    need(1);
    const nameLength = view.getUint8(at);
    need(1 + nameLength + 1);
    const name = utf8.decode(frame.subarray(at + 1, at + 1 + nameLength));
    at += 1 + nameLength;
    const type = view.getUint8(at);
    at += 1;
    let value: EventStreamHeaderValue;
    switch (type) {
      case 0:
      case 1:
        value = { type: 'boolean', value: type === 0 };
        break;
      case 2:
        need(1);
        value = { type: 'byte', value: view.getInt8(at) };
        at += 1;
        break;
      case 3:
        need(2);
        value = { type: 'short', value: view.getInt16(at) };
        at += 2;
        break;
      case 4:
        need(4);
        value = { type: 'integer', value: view.getInt32(at) };
        at += 4;
        break;
      case 5:
      case 8:
        need(8);
        value = { type: type === 5 ? 'long' : 'timestamp', value: view.getBigInt64(at) };
        at += 8;
        break;
      case 6:
      case 7: {
        need(2);
        const length = view.getUint16(at);
        need(2 + length);
        const bytes = frame.slice(at + 2, at + 2 + length);
        value = type === 6 ? { type: 'binary', value: bytes } : { type: 'string', value: utf8.decode(bytes) };
        at += 2 + length;
        break;
      }
      case 9:
        need(16);
        value = { type: 'uuid', value: frame.slice(at, at + 16) };
        at += 16;
        break;
      default:
        throw malformed(`unknown header value type ${type}`);
    }
    // Two values for one name would leave it to chance which one a reader sees.
    if (name in headers) throw malformed(`duplicate header "${name}"`);
    headers[name] = value;
  }
  return headers;
}

/** The value of a string header, or undefined when absent or of another type. */
export function stringHeader(message: EventStreamMessage, name: string): string | undefined {
  const header = message.headers[name];
  return header?.type === 'string' ? header.value : undefined;
}
