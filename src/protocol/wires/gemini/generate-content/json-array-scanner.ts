/**
 * Splits Gemini's streamed JSON array (`[{…}\r\n,{…}]`, the form without `alt=sse`) into its element
 * texts as the bytes arrive. It tracks only nesting depth and string state, so memory is bounded by
 * one element, never the whole stream.
 */
import { Utf8StreamDecoder } from '../../../../core/utf8';

export interface JsonArrayScannerOptions {
  /** Larger elements are dropped (in UTF-16 code units). Default 8 MiB. */
  maxElementSize?: number;
}

const QUOTE = 34;
const BACKSLASH = 92;

export class JsonArrayScanner {
  private readonly decoder = new Utf8StreamDecoder();
  private readonly maxElementSize: number;
  private depth = 0;
  /** Depth at which an element starts: 2 inside the array; 1 when the root is a lone object (an error body). */
  private elementDepth = 0;
  private inString = false;
  private escaped = false;
  private parts: string[] = [];
  private partsSize = 0;
  private oversized = false;

  constructor(options: JsonArrayScannerOptions = {}) {
    this.maxElementSize = options.maxElementSize ?? 8 * 1024 * 1024;
  }

  push(chunk: Uint8Array): string[] {
    return this.feed(this.decoder.decode(chunk));
  }

  end(): string[] {
    return this.feed(this.decoder.end());
  }

  private feed(text: string): string[] {
    const out: string[] = [];
    let start = this.depth >= this.elementDepth && this.elementDepth > 0 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (code === BACKSLASH) this.escaped = true;
        else if (code === QUOTE) this.inString = false;
        continue;
      }
      if (code === QUOTE) {
        this.inString = true;
      } else if (code === 123 || code === 91) {
        if (this.elementDepth === 0) this.elementDepth = code === 91 ? 2 : 1;
        this.depth++;
        if (this.depth === this.elementDepth) start = i;
      } else if (code === 125 || code === 93) {
        if (this.depth === this.elementDepth && start !== -1) {
          this.emit(text.slice(start, i + 1), out);
          start = -1;
        }
        if (this.depth > 0) this.depth--;
      }
    }
    if (start !== -1) this.keep(text.slice(start));
    return out;
  }

  private keep(piece: string): void {
    if (this.oversized) return;
    this.partsSize += piece.length;
    if (this.partsSize > this.maxElementSize) {
      this.oversized = true;
      this.parts = [];
      return;
    }
    this.parts.push(piece);
  }

  private emit(tail: string, out: string[]): void {
    const element = this.parts.length > 0 ? this.parts.join('') + tail : tail;
    const tooBig = this.oversized || element.length > this.maxElementSize;
    this.parts = [];
    this.partsSize = 0;
    this.oversized = false;
    if (!tooBig) out.push(element);
  }
}
