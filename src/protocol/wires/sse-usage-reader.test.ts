import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SseDecoder, type SseEvent } from '../../core/sse';
import type { WireKind } from '../operation';
import type { Usage } from '../usage';
import { GENERATE_CONTENT_WIRES } from './index';
import { createSseUsageReader, feedJson, type UsageEventHandler } from './sse-usage-reader';

const enc = new TextEncoder();

/** The reader before it skipped events: every event decoded, then filtered by `wants`. */
function referenceUsage(handler: UsageEventHandler, chunks: Uint8Array[], maxEventSize?: number) {
  const decoder = new SseDecoder({ oversized: 'skip', maxEventSize });
  const handle = (events: SseEvent[]): void => {
    for (const event of events) if (handler.wants(event)) feedJson(event.data, handler);
  };
  for (const chunk of chunks) handle(decoder.push(chunk));
  handle(decoder.end());
  return handler.result();
}

/** A handler that remembers every usage object it was given, and which events it was shown. */
function recordingHandler(marker = '"usage"'): UsageEventHandler & { shown: string[] } {
  const seen: unknown[] = [];
  const shown: string[] = [];
  return {
    marker,
    shown,
    wants: (event) => {
      shown.push(event.data);
      return event.data.includes(marker);
    },
    take: (json) => {
      const usage = (json as Record<string, unknown>)[marker.slice(1, -1)];
      if (usage !== null && usage !== undefined) seen.push(usage);
    },
    result: () => (seen.length === 0 ? undefined : ({ inputTokens: seen.length, seen } as unknown as Usage)),
  };
}

function read(handler: UsageEventHandler, chunks: Uint8Array[], maxEventSize?: number) {
  const reader = createSseUsageReader(handler, maxEventSize);
  for (const chunk of chunks) reader.push(chunk);
  return reader.finish();
}

function splitAt(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let last = 0;
  for (const point of [...points].sort((a, b) => a - b)) {
    out.push(bytes.subarray(last, point));
    last = point;
  }
  out.push(bytes.subarray(last));
  return out;
}

/** A small deterministic PRNG, so a failing case can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const STREAM = [
  ': a comment mentioning "usage":{"x":1}',
  '',
  'data: {"id":"a","choices":[{"delta":{"content":"hi"}}],"usage":null}',
  '',
  'event: message',
  'data: {"id":"b","choices":[{"delta":{"content":"The \\"usage\\" word"}}],"usage" :  null}',
  '',
  'data: {"id":"c","choices":[],',
  'data: "usage":{"prompt_tokens":3,"completion_tokens":1}}',
  '',
  'id: 7',
  'data: {"id":"d","usage":{"prompt_tokens":5}}',
  '',
  'data: [DONE]',
  '',
  '',
].join('\n');

const LINE_ENDINGS = ['\n', '\r\n', '\r'];

describe('createSseUsageReader', () => {
  it.each(LINE_ENDINGS.map((eol) => ({ eol: JSON.stringify(eol) })))(
    'reads what the full decoder reads, split at every byte pair ($eol)',
    ({ eol }) => {
      const bytes = enc.encode(STREAM.replaceAll('\n', JSON.parse(eol) as string));
      const expected = referenceUsage(recordingHandler(), [bytes]);
      expect(expected).toBeDefined();
      for (let i = 0; i <= bytes.length; i++) {
        for (let j = i; j <= bytes.length; j += 3) {
          const chunks = splitAt(bytes, [i, j]);
          expect(read(recordingHandler(), chunks), `split at ${i}, ${j}`).toEqual(expected);
        }
      }
    },
  );

  it('matches the full decoder on randomly chunked recorded streams with mixed line endings', () => {
    const fixtures: Array<[WireKind, string]> = [
      ['openai-chat', '"usage"'],
      ['openai-responses', '"usage"'],
      ['claude', '"usage"'],
      ['gemini', '"usageMetadata"'],
    ];
    const random = prng(42);
    for (const [wire, marker] of fixtures) {
      const text = readFileSync(
        join(import.meta.dirname, wire, 'generate-content', 'fixtures', 'stream.sse'),
        'utf8',
      );
      for (let round = 0; round < 60; round++) {
        // A CR right before an LF would make one line break of two; avoid that pairing.
        let previous = '';
        const mixed = text.replace(/\n/g, () => {
          const choices = previous === '\r' ? ['\r', '\r\n'] : LINE_ENDINGS;
          previous = choices[Math.floor(random() * choices.length)] as string;
          return previous;
        });
        const bytes = enc.encode(mixed);
        const points = Array.from({ length: 1 + Math.floor(random() * 8) }, () =>
          Math.floor(random() * (bytes.length + 1)),
        );
        const chunks = splitAt(bytes, points);
        const expected = referenceUsage(recordingHandler(marker), chunks);
        expect(read(recordingHandler(marker), chunks), `${wire} round ${round}`).toEqual(expected);
        // The real wire readers too.
        const reader = GENERATE_CONTENT_WIRES[wire].createStreamUsageReader('sse');
        for (const chunk of chunks) reader.push(chunk);
        const wireReference = GENERATE_CONTENT_WIRES[wire].createStreamUsageReader('sse');
        wireReference.push(enc.encode(text));
        expect(reader.finish(), `${wire} round ${round}`).toEqual(wireReference.finish());
      }
    }
  });

  it('decodes only the events holding the marker with a value other than null', () => {
    const handler = recordingHandler();
    read(handler, [enc.encode(STREAM)]);
    expect(handler.shown).toEqual([
      '{"id":"c","choices":[],\n"usage":{"prompt_tokens":3,"completion_tokens":1}}',
      '{"id":"d","usage":{"prompt_tokens":5}}',
    ]);
  });

  it('reads a last event that lacks its empty line', () => {
    const text = 'data: {"usage":null}\n\ndata: {"usage":{"n":1}}';
    for (let i = 0; i <= text.length; i++) {
      const chunks = splitAt(enc.encode(text), [i]);
      expect(read(recordingHandler(), chunks), `split at ${i}`).toEqual({
        inputTokens: 1,
        seen: [{ n: 1 }],
      });
    }
  });

  it('skips an event larger than the limit and reads the ones after it', () => {
    const big = `data: {"usage":{"n":1},"pad":"${'x'.repeat(300)}"}\n\n`;
    const text = `${big}data: {"usage":{"n":2}}\n\n${big}data: {"usage":{"n":3}}\n\n`;
    const bytes = enc.encode(text);
    for (const size of [1, 7, 64, bytes.length]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(read(recordingHandler(), chunks, 200), `chunks of ${size}`).toEqual({
        inputTokens: 2,
        seen: [{ n: 2 }, { n: 3 }],
      });
    }
  });

  it('keeps multi-byte characters split across chunks intact', () => {
    const text = 'data: {"usage":{"label":"héllo ✓ 😀"}}\n\n';
    const bytes = enc.encode(text);
    for (let i = 0; i <= bytes.length; i++) {
      expect(read(recordingHandler(), splitAt(bytes, [i])), `split at ${i}`).toEqual({
        inputTokens: 1,
        seen: [{ label: 'héllo ✓ 😀' }],
      });
    }
  });

  it('ignores pushes after finish', () => {
    const reader = createSseUsageReader(recordingHandler());
    reader.push(enc.encode('data: {"usage":{"n":1}}\n\n'));
    const first = reader.finish();
    reader.push(enc.encode('data: {"usage":{"n":2}}\n\n'));
    expect(reader.finish()).toEqual(first);
  });
});
