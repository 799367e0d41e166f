import { describe, expect, it } from 'vitest';
import { Utf8StreamDecoder } from './utf8';

/** What a streaming TextDecoder makes of the same chunks. */
function reference(chunks: Uint8Array[]): string {
  const decoder = new TextDecoder();
  let text = '';
  for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

function decodeAll(chunks: Uint8Array[]): string {
  const decoder = new Utf8StreamDecoder();
  let text = '';
  for (const chunk of chunks) text += decoder.decode(chunk);
  return text + decoder.end();
}

const enc = new TextEncoder();

describe('Utf8StreamDecoder', () => {
  const samples: Array<[string, Uint8Array]> = [
    ['ascii', enc.encode('data: {"usage":{"prompt_tokens":3}}\n\n')],
    ['multi-byte', enc.encode('héllo ✓ 😀 — 日本語\n')],
    ['leading BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('a\uFEFFb')])],
    [
      'invalid and truncated sequences',
      new Uint8Array([0x61, 0xe2, 0x82, 0x41, 0xf0, 0x9f, 0x98, 0xc3, 0xff, 0x80, 0x80, 0xf8, 0xe2, 0x82]),
    ],
  ];

  it.each(samples)('decodes %s like a streaming TextDecoder, split at every pair of points', (_, bytes) => {
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const chunks = [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)];
        expect(decodeAll(chunks), `split at ${i}, ${j}`).toBe(reference(chunks));
      }
    }
  });

  it('decodes random bytes like a streaming TextDecoder', () => {
    let state = 7;
    const random = (): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const interesting = [0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    for (let round = 0; round < 500; round++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 24) }, () =>
        random() < 0.5 ? (interesting[Math.floor(random() * interesting.length)] as number) : random() * 256,
      );
      const chunks: Uint8Array[] = [];
      let at = 0;
      while (at < bytes.length) {
        const size = 1 + Math.floor(random() * 5);
        chunks.push(bytes.subarray(at, at + size));
        at += size;
      }
      expect(decodeAll(chunks), `round ${round}`).toBe(reference(chunks));
    }
  });
});
