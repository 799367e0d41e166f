import { describe, expect, it } from 'vitest';
import { GatewayError } from './errors';
import { SseDecoder, encodeSseEvent } from './sse';
import type { SseEvent } from './sse';

const enc = new TextEncoder();

function decodeChunks(chunks: Uint8Array[], decoder = new SseDecoder()): SseEvent[] {
  const out: SseEvent[] = [];
  for (const chunk of chunks) out.push(...decoder.push(chunk));
  out.push(...decoder.end());
  return out;
}

function decodeText(text: string): SseEvent[] {
  return decodeChunks([enc.encode(text)]);
}

const SAMPLE = [
  ': keep-alive comment\r\n',
  'event: message_start\r\n',
  'data: {"type":"message_start","text":"héllo wörld ✓ 🎉"}\r\n',
  '\r\n',
  'id: 7\n',
  'data: line one\n',
  'data: line two\n',
  '\n',
  'data:no-space\r',
  'retry: 1000\r',
  '\r',
  'event: ping\n',
  'data: {}\n\n',
  'event: empty-data-ignored\n\n',
  'data: [DONE]\n\n',
].join('');

const SAMPLE_EVENTS: SseEvent[] = [
  { event: 'message_start', data: '{"type":"message_start","text":"héllo wörld ✓ 🎉"}' },
  { id: '7', data: 'line one\nline two' },
  { data: 'no-space' },
  { event: 'ping', data: '{}' },
  { data: '[DONE]' },
];

describe('SseDecoder', () => {
  it('decodes a sample stream in one chunk', () => {
    expect(decodeText(SAMPLE)).toEqual(SAMPLE_EVENTS);
  });

  it('decodes the sample stream split at every byte position', () => {
    const bytes = enc.encode(SAMPLE);
    for (let i = 0; i <= bytes.length; i++) {
      const events = decodeChunks([bytes.subarray(0, i), bytes.subarray(i)]);
      expect(events, `split at ${i}`).toEqual(SAMPLE_EVENTS);
    }
  });

  it('decodes the sample stream split at every pair of byte positions', () => {
    const bytes = enc.encode(SAMPLE.slice(0, 120));
    const expected = decodeChunks([bytes]);
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const events = decodeChunks([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        expect(events).toEqual(expected);
      }
    }
  });

  it('decodes the sample stream fed one byte at a time', () => {
    const bytes = enc.encode(SAMPLE);
    const chunks = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    expect(decodeChunks(chunks)).toEqual(SAMPLE_EVENTS);
  });

  it('keeps a multi-byte UTF-8 character split across chunks intact', () => {
    const bytes = enc.encode('data: 🎉\n\n');
    // The emoji is 4 bytes starting at offset 6: split inside it at each position.
    for (let i = 7; i <= 9; i++) {
      expect(decodeChunks([bytes.subarray(0, i), bytes.subarray(i)])).toEqual([{ data: '🎉' }]);
    }
  });

  it('returns events as soon as their blank line arrives', () => {
    const decoder = new SseDecoder();
    expect(decoder.push(enc.encode('data: a\n'))).toEqual([]);
    expect(decoder.push(enc.encode('\ndata: b'))).toEqual([{ data: 'a' }]);
    expect(decoder.push(enc.encode('\n\n'))).toEqual([{ data: 'b' }]);
    expect(decoder.end()).toEqual([]);
  });

  it('treats CR LF split across chunks as one line break', () => {
    const decoder = new SseDecoder();
    const events = [
      ...decoder.push(enc.encode('data: a\r')),
      ...decoder.push(enc.encode('\ndata: b\r')),
      ...decoder.push(enc.encode('\n\r')),
      ...decoder.push(enc.encode('\n')),
    ];
    expect(events).toEqual([{ data: 'a\nb' }]);
  });

  it('delivers a last event that has no terminating blank line at end()', () => {
    expect(decodeText('data: tail')).toEqual([{ data: 'tail' }]);
    expect(decodeText('data: tail\n')).toEqual([{ data: 'tail' }]);
  });

  it('handles fields without a colon, empty data lines and a UTF-8 BOM', () => {
    expect(decodeText('\uFEFFdata\ndata\n\n')).toEqual([{ data: '\n' }]);
    expect(decodeText('data:\n\n')).toEqual([{ data: '' }]);
    expect(decodeText('data:  two spaces\n\n')).toEqual([{ data: ' two spaces' }]);
  });

  it('throws upstream_bad_response for an event larger than the maximum', () => {
    const decoder = new SseDecoder({ maxEventSize: 16 });
    expect(decoder.push(enc.encode('data: small\n\n'))).toEqual([{ data: 'small' }]);
    let thrown: unknown;
    try {
      decoder.push(enc.encode('data: 0123456789abcdefghij\n\n'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect((thrown as GatewayError).code).toBe('upstream_bad_response');
  });

  it('bounds a line that never ends, even when it arrives in many small chunks', () => {
    const decoder = new SseDecoder({ maxEventSize: 100 });
    expect(() => {
      for (let i = 0; i < 50; i++) decoder.push(enc.encode('data: xxxxxxxxxx'));
    }).toThrow(GatewayError);
  });

  it('bounds many data lines that together exceed the maximum', () => {
    const decoder = new SseDecoder({ maxEventSize: 100 });
    expect(() => decoder.push(enc.encode('data: 0123456789\n'.repeat(20)))).toThrow(/exceeds 100/);
  });

  it('in skip mode drops an oversized event and resumes after it', () => {
    const decoder = new SseDecoder({ maxEventSize: 16, oversized: 'skip' });
    const big = 'data: ' + 'x'.repeat(40);
    const chunks = [
      'data: before\n\n',
      big.slice(0, 20),
      big.slice(20),
      '\n',
      'data: more of the big event\n',
      '\n',
      'data: after\n\n',
    ].map((s) => enc.encode(s));
    expect(decodeChunks(chunks, decoder)).toEqual([{ data: 'before' }, { data: 'after' }]);
  });

  it('in skip mode does not take the end of a dropped line for a blank line', () => {
    const decoder = new SseDecoder({ maxEventSize: 8, oversized: 'skip' });
    const chunks = ['data: 0123456789', '\n', 'data: still-big-event-continues\n', '\n', 'data: ok\n\n'];
    expect(
      decodeChunks(
        chunks.map((s) => enc.encode(s)),
        decoder,
      ),
    ).toEqual([{ data: 'ok' }]);
  });
});

describe('encodeSseEvent', () => {
  it('encodes data with an optional event name', () => {
    expect(encodeSseEvent('{"a":1}')).toBe('data: {"a":1}\n\n');
    expect(encodeSseEvent('{}', 'ping')).toBe('event: ping\ndata: {}\n\n');
  });

  it('splits multi-line data into several data lines that decode back', () => {
    const text = encodeSseEvent('one\ntwo\r\nthree', 'x');
    expect(text).toBe('event: x\ndata: one\ndata: two\ndata: three\n\n');
    expect(decodeText(text)).toEqual([{ event: 'x', data: 'one\ntwo\nthree' }]);
  });
});
