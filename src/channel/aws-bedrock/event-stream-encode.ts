/**
 * Encodes AWS event-stream frames: the inverse of event-stream.ts, for fake Bedrock upstreams in
 * tests and for checking the decoder against frames built byte by byte.
 */
import { crc32 } from './crc32';
import type { EventStreamHeaderValue, EventStreamMessage } from './event-stream';

const utf8 = new TextEncoder();

const TYPE_CODE: Record<EventStreamHeaderValue['type'], number> = {
  boolean: 0,
  byte: 2,
  short: 3,
  integer: 4,
  long: 5,
  binary: 6,
  string: 7,
  timestamp: 8,
  uuid: 9,
};

function encodeValue(header: EventStreamHeaderValue): number[] {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  switch (header.type) {
    case 'boolean':
      return [header.value ? 0 : 1];
    case 'byte':
      return [TYPE_CODE.byte, header.value & 0xff];
    case 'short':
      view.setInt16(0, header.value);
      return [TYPE_CODE.short, ...bytes.subarray(0, 2)];
    case 'integer':
      view.setInt32(0, header.value);
      return [TYPE_CODE.integer, ...bytes.subarray(0, 4)];
    case 'long':
    case 'timestamp':
      view.setBigInt64(0, header.value);
      return [TYPE_CODE[header.type], ...bytes];
    case 'uuid':
      return [TYPE_CODE.uuid, ...header.value];
    case 'binary':
    case 'string': {
      const value = header.type === 'string' ? utf8.encode(header.value) : header.value;
      return [TYPE_CODE[header.type], value.length >> 8, value.length & 0xff, ...value];
    }
  }
}

export function encodeEventStreamMessage(message: EventStreamMessage): Uint8Array {
  const headerBytes: number[] = [];
  for (const [name, value] of Object.entries(message.headers)) {
    const nameBytes = utf8.encode(name);
    headerBytes.push(nameBytes.length, ...nameBytes, ...encodeValue(value));
  }
  const total = 16 + headerBytes.length + message.payload.length;
  const frame = new Uint8Array(total);
  const view = new DataView(frame.buffer);
  view.setUint32(0, total);
  view.setUint32(4, headerBytes.length);
  view.setUint32(8, crc32(frame, 0, 8));
  frame.set(headerBytes, 12);
  frame.set(message.payload, 12 + headerBytes.length);
  view.setUint32(total - 4, crc32(frame, 0, total - 4));
  return frame;
}

/** A frame with string headers only, the shape Bedrock sends. */
export function encodeStringHeaders(headers: Record<string, string>, payload: Uint8Array): Uint8Array {
  const typed = Object.create(null) as Record<string, EventStreamHeaderValue>;
  for (const [name, value] of Object.entries(headers)) typed[name] = { type: 'string', value };
  return encodeEventStreamMessage({ headers: typed, payload });
}
