/**
 * One incremental Server-Sent Events decoder and encoder for every wire (WHATWG EventSource
 * parsing rules). The decoder is fed raw bytes as they arrive and never holds more than the
 * event being assembled, so a whole stream is never buffered.
 */
import { GatewayError } from './errors';
import { Utf8StreamDecoder } from './utf8';

export interface SseEvent {
  /** The `event:` field; absent for the default `message` type. */
  event?: string;
  data: string;
  /** The `id:` field when this event carried one (the spec's last-event-id is not carried over). */
  id?: string;
}

export interface SseDecoderOptions {
  /** Largest event (data plus the pending line, in UTF-16 code units) accepted. Default 8 MiB. */
  maxEventSize?: number;
  /**
   * `throw` (default): an oversized event throws GatewayError('upstream_bad_response').
   * `skip`: it is dropped silently and decoding resumes after it; for passive readers (usage)
   * that must never fail the stream they observe.
   */
  oversized?: 'throw' | 'skip';
}

export const DEFAULT_MAX_SSE_EVENT_SIZE = 8 * 1024 * 1024;

const LF = '\n';
const CR = '\r';

export class SseDecoder {
  private readonly decoder = new Utf8StreamDecoder();
  private readonly maxEventSize: number;
  private readonly throwOnOversized: boolean;
  /** Text of the line not yet terminated, kept in parts so a long line is not rescanned. */
  private partial: string[] = [];
  private partialSize = 0;
  /** A chunk ended on CR: a LF starting the next chunk belongs to the same line break. */
  private skipLeadingLf = false;
  private data: string[] = [];
  private dataSize = 0;
  private eventType: string | undefined;
  private eventId: string | undefined;
  /** Inside an oversized event: drop lines until the blank line that ends it. */
  private skipping = false;
  /** Part of the current line was dropped while skipping: its terminator is not a blank line. */
  private droppedPartial = false;

  constructor(options: SseDecoderOptions = {}) {
    this.maxEventSize = options.maxEventSize ?? DEFAULT_MAX_SSE_EVENT_SIZE;
    this.throwOnOversized = (options.oversized ?? 'throw') === 'throw';
  }

  push(chunk: Uint8Array): SseEvent[] {
    return this.feed(this.decoder.decode(chunk));
  }

  /** Like push, for text already decoded (do not mix with push on one decoder). */
  pushText(text: string): SseEvent[] {
    return this.feed(text);
  }

  /** Flushes the decoder at the end of the stream; a last event without its blank line is still delivered. */
  end(): SseEvent[] {
    const out = this.feed(this.decoder.end());
    if (this.partial.length > 0) this.takeLine('', out);
    this.dispatch(out);
    return out;
  }

  private feed(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    let pos = 0;
    if (this.skipLeadingLf && text.length > 0) {
      this.skipLeadingLf = false;
      if (text.startsWith(LF)) pos = 1;
    }
    let lf = text.indexOf(LF, pos);
    let cr = text.indexOf(CR, pos);
    while (lf !== -1 || cr !== -1) {
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      this.takeLine(text.slice(pos, end), out);
      pos = end + 1;
      if (end === cr) {
        if (pos === text.length) this.skipLeadingLf = true;
        else if (text.charCodeAt(pos) === 10) pos++;
      }
      if (lf !== -1 && lf < pos) lf = text.indexOf(LF, pos);
      if (cr !== -1 && cr < pos) cr = text.indexOf(CR, pos);
    }
    if (pos < text.length) this.keepPartial(text.slice(pos));
    return out;
  }

  private keepPartial(piece: string): void {
    if (this.skipping) {
      this.droppedPartial = true;
      return;
    }
    this.partial.push(piece);
    this.partialSize += piece.length;
    this.checkSize();
  }

  private takeLine(tail: string, out: SseEvent[]): void {
    if (this.droppedPartial) {
      this.droppedPartial = false;
      return;
    }
    let line = tail;
    if (this.partial.length > 0) {
      this.partial.push(tail);
      line = this.partial.join('');
      this.partial = [];
      this.partialSize = 0;
    }
    if (line === '') {
      this.dispatch(out);
      return;
    }
    if (this.skipping || line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        this.dataSize += value.length + 1;
        this.checkSize();
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.eventId = value;
        break;
      default:
        // `retry` and unknown fields carry nothing a gateway needs.
        break;
    }
  }

  private dispatch(out: SseEvent[]): void {
    if (!this.skipping && this.data.length > 0) {
      const event: SseEvent = { data: this.data.join(LF) };
      if (this.eventType) event.event = this.eventType;
      if (this.eventId !== undefined) event.id = this.eventId;
      out.push(event);
    }
    this.skipping = false;
    this.resetEvent();
  }

  private resetEvent(): void {
    this.data = [];
    this.dataSize = 0;
    this.eventType = undefined;
    this.eventId = undefined;
  }

  private checkSize(): void {
    if (this.dataSize + this.partialSize <= this.maxEventSize) return;
    this.skipping = true;
    this.resetEvent();
    if (this.partial.length > 0) this.droppedPartial = true;
    this.partial = [];
    this.partialSize = 0;
    if (this.throwOnOversized) {
      throw new GatewayError(
        'upstream_bad_response',
        `Upstream stream event exceeds ${this.maxEventSize} characters`,
        { retryable: false },
      );
    }
  }
}

/** One SSE event as text; multi-line data becomes several `data:` lines, as the format requires. */
export function encodeSseEvent(data: string, event?: string): string {
  const head = event === undefined ? '' : `event: ${event}\n`;
  const lines = data.split(/\r\n|\r|\n/);
  let body = '';
  for (const line of lines) body += `data: ${line}\n`;
  return `${head}${body}\n`;
}
