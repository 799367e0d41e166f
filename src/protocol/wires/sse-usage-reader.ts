/**
 * The SSE side of every wire's stream usage reader. Usage sits in one or a few events of a stream
 * (the last chunk, the terminal event), so the reader does not parse the whole stream: it decodes
 * each chunk (one native call), finds the handler's JSON key in the text of complete events, and
 * hands only the events holding it with a value other than null to the SSE decoder, the handler's
 * own test and JSON.parse. Every other event is passed over without being split into lines.
 */
import { tryParseJson } from '../../core/json';
import { DEFAULT_MAX_SSE_EVENT_SIZE, SseDecoder } from '../../core/sse';
import type { SseEvent } from '../../core/sse';
import { Utf8StreamDecoder } from '../../core/utf8';
import type { Usage } from '../usage';
import type { StreamUsageReader } from '../wire';

export interface UsageEventHandler {
  /**
   * The quoted JSON key (`"usage"`) that every event worth reading holds with a value other than
   * null. Events without it are skipped unread, so the key must be in any event `take` can use.
   */
  marker: string;
  /** A cheap test on the decoded event, so that only the events it names are parsed. */
  wants(event: SseEvent): boolean;
  take(json: unknown): void;
  result(): Usage | undefined;
}

/** Hands one JSON text to the handler; anything unparsable is skipped, never thrown. */
export function feedJson(text: string, handler: UsageEventHandler): void {
  const parsed = tryParseJson(text);
  if (!parsed.ok) return;
  // A reader only observes a stream on its way to the client: nothing it meets may break that stream.
  try {
    handler.take(parsed.value);
  } catch {
    return;
  }
}

export function createSseUsageReader(
  handler: UsageEventHandler,
  maxEventSize: number = DEFAULT_MAX_SSE_EVENT_SIZE,
): StreamUsageReader {
  return new SseUsageReader(handler, maxEventSize);
}

const LF = 10;
const CR = 13;

const isBreak = (code: number): boolean => code === LF || code === CR;

/**
 * Whether the line-break characters `run` (a maximal run of CR/LF) hold an empty line, i.e. end an
 * event: two breaks or more. One break is LF, CR or CRLF.
 */
function isBlankRun(run: string): boolean {
  return run.length >= 3 || (run.length === 2 && run !== '\r\n');
}

/** The maximal run of breaks around position `at` (a break) of `text`, as [start, end). */
function runAround(text: string, at: number): [number, number] {
  let start = at;
  while (start > 0 && isBreak(text.charCodeAt(start - 1))) start--;
  let end = at + 1;
  while (end < text.length && isBreak(text.charCodeAt(end))) end++;
  return [start, end];
}

/** Trailing breaks of `text` (at most its last two characters are kept, which is enough). */
function trailingBreaks(text: string): string {
  let start = text.length;
  while (start > 0 && isBreak(text.charCodeAt(start - 1))) start--;
  return text.slice(start);
}

/**
 * Index just after the last empty line in `text`, or -1. `before` holds the characters that came
 * just before `text`, for an empty line split across chunks.
 */
function lastEventEnd(text: string, before: string): number {
  let lf = text.lastIndexOf('\n');
  // lastIndexOf walks the string one character at a time; indexOf is far faster, and most streams
  // have no CR at all.
  let cr = text.indexOf('\r') === -1 ? -1 : text.lastIndexOf('\r');
  while (lf !== -1 || cr !== -1) {
    const [start, end] = runAround(text, Math.max(lf, cr));
    const run = start === 0 ? trailingBreaks(before) + text.slice(0, end) : text.slice(start, end);
    if (isBlankRun(run)) return end;
    if (start === 0) return -1;
    if (lf >= start) lf = text.lastIndexOf('\n', start - 1);
    if (cr >= start) cr = text.lastIndexOf('\r', start - 1);
  }
  return -1;
}

/** Index just after the first empty line in `text` at or after `from`, or text.length. */
function nextEventEnd(text: string, from: number, before: string): number {
  let lf = text.indexOf('\n', from);
  let cr = text.indexOf('\r', from);
  while (lf !== -1 || cr !== -1) {
    const first = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
    const [start, end] = runAround(text, first);
    const run = start === 0 ? trailingBreaks(before) + text.slice(0, end) : text.slice(start, end);
    if (isBlankRun(run)) return end;
    if (lf !== -1 && lf < end) lf = text.indexOf('\n', end);
    if (cr !== -1 && cr < end) cr = text.indexOf('\r', end);
  }
  return text.length;
}

/** Index where the event holding position `at` starts: just after the empty line before it. */
function eventStart(text: string, at: number, floor: number): number {
  for (let i = at - 1; i >= floor; i--) {
    if (!isBreak(text.charCodeAt(i))) continue;
    const [start, end] = runAround(text, i);
    if (start >= floor && isBlankRun(text.slice(start, end))) return end;
    i = start;
  }
  return floor;
}

const isSpace = (code: number): boolean => code === 32 || code === 9 || code === LF || code === CR;

/** Whether the key ending at `at` is followed by `: null`. */
function isNullValue(text: string, at: number): boolean {
  let i = at;
  while (isSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 58) return false;
  i++;
  while (isSpace(text.charCodeAt(i))) i++;
  return text.startsWith('null', i);
}

class SseUsageReader implements StreamUsageReader {
  private readonly text = new Utf8StreamDecoder();
  private events: SseDecoder | null = null;
  /** The text of the event not yet complete, after the last empty line. */
  private parts: string[] = [];
  private partsSize = 0;
  /** The last characters seen, for an empty line split across chunks. */
  private before = '';
  /** Inside an event too large to keep: its text is dropped up to its end. */
  private skipping = false;
  private finished = false;

  constructor(
    private readonly handler: UsageEventHandler,
    private readonly maxEventSize: number,
  ) {}

  push(chunk: Uint8Array): void {
    if (!this.finished) this.take(this.text.decode(chunk));
  }

  finish(): Usage | undefined {
    if (!this.finished) {
      this.finished = true;
      this.take(this.text.end());
      // A last event without its empty line still counts, as for the SSE decoder.
      if (!this.skipping && this.partsSize > 0) this.scan(this.parts.join(''), 0, '');
      this.parts = [];
    }
    return this.handler.result();
  }

  private take(text: string): void {
    if (text.length === 0) return;
    const cut = lastEventEnd(text, this.before);
    if (cut === -1) {
      this.keep(text);
    } else {
      const head = cut === text.length ? text : text.slice(0, cut);
      if (this.skipping) {
        // The text before the first empty line ends the event that was too large.
        this.skipping = false;
        this.parts = [];
        this.partsSize = 0;
        this.scan(head, nextEventEnd(head, 0, this.before), this.before);
      } else if (this.partsSize > 0) {
        this.parts.push(head);
        const complete = this.parts.join('');
        this.parts = [];
        this.partsSize = 0;
        this.scan(complete, 0, '');
      } else {
        this.scan(head, 0, '');
      }
      if (cut < text.length) this.keep(text.slice(cut));
    }
    this.before = text.length >= 2 ? text.slice(-2) : (this.before + text).slice(-2);
  }

  private keep(text: string): void {
    if (this.skipping) return;
    this.parts.push(text);
    this.partsSize += text.length;
    if (this.partsSize > this.maxEventSize) {
      this.parts = [];
      this.partsSize = 0;
      this.skipping = true;
    }
  }

  /** Reads the events of `text` (complete events from `from` on) that hold the marker. */
  private scan(text: string, from: number, before: string): void {
    // The key is looked for without its opening quote: V8's indexOf is many times slower on a pattern
    // that starts with a character as frequent in JSON as the quote.
    const { marker } = this.handler;
    const quoted = marker.charCodeAt(0) === 34;
    const needle = quoted ? marker.slice(1) : marker;
    let found = text.indexOf(needle, from + (quoted ? 1 : 0));
    while (found !== -1) {
      const at = quoted ? found - 1 : found;
      const after = found + needle.length;
      if ((quoted && text.charCodeAt(at) !== 34) || isNullValue(text, after)) {
        found = text.indexOf(needle, after);
        continue;
      }
      const start = eventStart(text, at, from);
      const end = nextEventEnd(text, at, before);
      if (end - start <= this.maxEventSize) this.read(text.slice(start, end));
      found = end < text.length ? text.indexOf(needle, end + (quoted ? 1 : 0)) : -1;
    }
  }

  private read(eventText: string): void {
    this.events ??= new SseDecoder({ oversized: 'skip', maxEventSize: this.maxEventSize });
    const events = this.events.pushText(eventText);
    for (const event of this.events.end()) events.push(event);
    for (const event of events) {
      if (this.handler.wants(event)) feedJson(event.data, this.handler);
    }
  }
}
