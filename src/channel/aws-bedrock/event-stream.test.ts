import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';
import { EventStreamDecoder, stringHeader, type EventStreamMessage } from './event-stream';
import { encodeEventStreamMessage, encodeStringHeaders } from './event-stream-encode';
import { NEGATIVE_VECTORS, POSITIVE_VECTORS } from './fixtures/event-stream-vectors';

const fromHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const u32At = (bytes: Uint8Array, at: number): number =>
  new DataView(bytes.buffer, bytes.byteOffset).getUint32(at);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function decodeChunks(chunks: Uint8Array[]): EventStreamMessage[] {
  const decoder = new EventStreamDecoder();
  const messages = chunks.flatMap((chunk) => decoder.push(chunk));
  decoder.end();
  return messages;
}

/**
 * A Bedrock InvokeModelWithResponseStream chunk frame written out by hand, field by field. Its CRCs
 * were computed outside this code base (Python's zlib.crc32) and are checked below with Node's zlib.
 */
const BEDROCK_CHUNK_HEX = [
  '0000007b', // total length: 123
  '0000004b', // headers length: 75
  '0a2e96af', // prelude CRC32 of the 8 bytes above
  '0b' + '3a6576656e742d74797065' + '07' + '0005' + '6368756e6b', // ":event-type" string "chunk"
  '0d' + '3a636f6e74656e742d74797065' + '07' + '0010' + '6170706c69636174696f6e2f6a736f6e', // ":content-type" "application/json"
  '0d' + '3a6d6573736167652d74797065' + '07' + '0005' + '6576656e74', // ":message-type" "event"
  '7b226279746573223a2265794a306558426c496a6f6963476c755a794a39227d', // {"bytes":"eyJ0eXBlIjoicGluZyJ9"}
  'a01f56c4', // message CRC32 of everything above
].join('');

describe('crc32', () => {
  it('matches zlib on the standard check value and on random bytes', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) & 0xff);
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
    expect(crc32(bytes, 10, 500)).toBe(zlibCrc32(bytes.subarray(10, 500)));
  });
});

describe('AWS event-stream decoding: published vectors', () => {
  it.each(POSITIVE_VECTORS.map((v) => [v.name, v] as const))('%s decodes', (_name, vector) => {
    const bytes = fromHex(vector.hex);
    expect(u32At(bytes, 8)).toBe(vector.preludeCrc);
    expect(u32At(bytes, bytes.length - 4)).toBe(vector.messageCrc);
    const [message, ...rest] = decodeChunks([bytes]);
    expect(rest).toEqual([]);
    expect(message?.headers).toEqual(vector.headers);
    expect(text(message!.payload)).toBe(vector.payload);
    // The encoder writes the very same bytes back.
    expect(Buffer.from(encodeEventStreamMessage(message!)).toString('hex')).toBe(vector.hex);
  });

  it.each(NEGATIVE_VECTORS.map((v) => [v.name, v] as const))('%s is refused', (_name, vector) => {
    expect(() => decodeChunks([fromHex(vector.hex)])).toThrow(vector.error);
  });

  it('refuses an oversized frame from its prelude, before its bytes arrive', () => {
    const prelude = fromHex(NEGATIVE_VECTORS.find((v) => v.name === 'invalid_payload_length')!.hex);
    expect(() => new EventStreamDecoder().push(prelude)).toThrow(/exceeds the 16777216-byte limit/);
    expect(() =>
      new EventStreamDecoder({ maxMessageSize: 60 }).push(fromHex(POSITIVE_VECTORS[6]!.hex)),
    ).toThrow(/61 bytes exceeds the 60-byte limit/);
  });

  it('decodes all vectors from one stream split at every point', () => {
    const whole = concat(POSITIVE_VECTORS.map((v) => fromHex(v.hex)));
    const expected = decodeChunks([whole]);
    expect(expected).toHaveLength(POSITIVE_VECTORS.length);
    for (let cut = 0; cut <= whole.length; cut++) {
      expect(decodeChunks([whole.subarray(0, cut), whole.subarray(cut)])).toEqual(expected);
    }
    const bytes = Array.from(whole, (byte) => Uint8Array.of(byte));
    expect(decodeChunks(bytes)).toEqual(expected);
  });

  it('refuses corrupt frames wherever the stream is split', () => {
    for (const vector of NEGATIVE_VECTORS.filter((v) => v.name !== 'invalid_payload_length')) {
      const bytes = fromHex(vector.hex);
      for (let cut = 0; cut <= bytes.length; cut++) {
        expect(() => decodeChunks([bytes.subarray(0, cut), bytes.subarray(cut)])).toThrow(vector.error);
      }
    }
  });

  it('reports a stream that ends inside a frame', () => {
    const bytes = fromHex(POSITIVE_VECTORS[0]!.hex);
    const decoder = new EventStreamDecoder();
    expect(decoder.push(bytes.subarray(0, 5))).toEqual([]);
    expect(() => decoder.end()).toThrow(/ended inside a frame \(5 bytes left over\)/);
  });
});

describe('AWS event-stream decoding: a Bedrock chunk frame', () => {
  const frame = fromHex(BEDROCK_CHUNK_HEX);

  it('carries CRCs that zlib confirms', () => {
    expect(frame.length).toBe(123);
    expect(u32At(frame, 8)).toBe(zlibCrc32(frame.subarray(0, 8)));
    expect(u32At(frame, 119)).toBe(zlibCrc32(frame.subarray(0, 119)));
  });

  it('decodes to the chunk event and its base64 Claude event', () => {
    const [message] = decodeChunks([frame]);
    expect(stringHeader(message!, ':event-type')).toBe('chunk');
    expect(stringHeader(message!, ':message-type')).toBe('event');
    expect(stringHeader(message!, ':content-type')).toBe('application/json');
    const payload = JSON.parse(text(message!.payload));
    expect(Buffer.from(payload.bytes, 'base64').toString()).toBe('{"type":"ping"}');
  });

  it('is what the encoder builds from the same headers and payload', () => {
    const built = encodeStringHeaders(
      { ':event-type': 'chunk', ':content-type': 'application/json', ':message-type': 'event' },
      new TextEncoder().encode('{"bytes":"eyJ0eXBlIjoicGluZyJ9"}'),
    );
    expect(Buffer.from(built).toString('hex')).toBe(BEDROCK_CHUNK_HEX);
  });

  it('refuses the frame with any single byte flipped', () => {
    for (let at = 0; at < frame.length; at++) {
      const broken = frame.slice();
      broken[at]! ^= 0x01;
      expect(() => decodeChunks([broken]), `byte ${at}`).toThrow();
    }
  });

  it('keeps a header named __proto__ as a header', () => {
    const built = encodeStringHeaders({ ['__proto__']: 'x' }, new Uint8Array());
    const [message] = decodeChunks([built]);
    expect(stringHeader(message!, '__proto__')).toBe('x');
  });
});
