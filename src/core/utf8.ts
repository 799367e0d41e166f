/**
 * Incremental UTF-8 decoding that stays on TextDecoder's fast path. On Node, a TextDecoder called
 * once with `{ stream: true }` leaves its fast (simdutf) path for good and decodes about 8x slower;
 * this decoder instead holds back a character split across chunks itself and decodes only whole
 * characters. The text is the same as a streaming TextDecoder's: invalid bytes become U+FFFD and a
 * byte order mark is dropped only at the very start.
 */

const BOM = 0xfeff;

export class Utf8StreamDecoder {
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The first bytes of a character whose end has not arrived yet. */
  private pending: Uint8Array | null = null;
  private started = false;

  decode(chunk: Uint8Array): string {
    let bytes = chunk;
    if (this.pending !== null) {
      bytes = new Uint8Array(this.pending.byteLength + chunk.byteLength);
      bytes.set(this.pending);
      bytes.set(chunk, this.pending.byteLength);
      this.pending = null;
    }
    const whole = wholeCharactersEnd(bytes);
    if (whole < bytes.byteLength) this.pending = bytes.slice(whole);
    return whole === 0 ? '' : this.text(whole === bytes.byteLength ? bytes : bytes.subarray(0, whole));
  }

  /** Flushes a character left incomplete at the end of the input (as U+FFFD). */
  end(): string {
    const pending = this.pending;
    this.pending = null;
    return pending === null ? '' : this.text(pending);
  }

  private text(bytes: Uint8Array): string {
    const text = this.decoder.decode(bytes);
    if (this.started || text.length === 0) return text;
    this.started = true;
    return text.charCodeAt(0) === BOM ? text.slice(1) : text;
  }
}

/** Index after the last complete character of `bytes`: a lead byte missing continuations starts the rest. */
export function wholeCharactersEnd(bytes: Uint8Array): number {
  const length = bytes.byteLength;
  let start = length - 1;
  while (start > length - 4 && start >= 0 && ((bytes[start] as number) & 0xc0) === 0x80) start--;
  if (start < 0) return length;
  const lead = bytes[start] as number;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return length - start < need ? start : length;
}

/** UTF-8 byte length of a string, for callers that hold the body as text. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
