import { describe, expect, it } from 'vitest';
import { JsonArrayScanner } from './json-array-scanner';

const enc = new TextEncoder();

function scan(chunks: string[] | Uint8Array[], scanner = new JsonArrayScanner()): string[] {
  const out: string[] = [];
  for (const chunk of chunks)
    out.push(...scanner.push(typeof chunk === 'string' ? enc.encode(chunk) : chunk));
  out.push(...scanner.end());
  return out;
}

const ELEMENTS = [
  { text: 'a ] } [ { b', n: [1, [2, { c: 3 }]] },
  { text: 'quote \\" and "q" 🎉', empty: {} },
  { usageMetadata: { promptTokenCount: 1 } },
];
const STREAM = '[' + ELEMENTS.map((e) => JSON.stringify(e, null, 2)).join('\n,\r\n') + '\n]';

describe('JsonArrayScanner', () => {
  it('yields each top-level element of a streamed array', () => {
    expect(scan([STREAM]).map((e) => JSON.parse(e) as unknown)).toEqual(ELEMENTS);
  });

  it('yields the same elements when split at every byte', () => {
    const bytes = enc.encode(STREAM);
    for (let i = 0; i <= bytes.length; i++) {
      const got = scan([bytes.subarray(0, i), bytes.subarray(i)]);
      expect(
        got.map((e) => JSON.parse(e) as unknown),
        `split at ${i}`,
      ).toEqual(ELEMENTS);
    }
  });

  it('yields elements as soon as they are complete', () => {
    const scanner = new JsonArrayScanner();
    expect(scanner.push(enc.encode('[{"a":1}'))).toEqual(['{"a":1}']);
    expect(scanner.push(enc.encode(',{"b":'))).toEqual([]);
    expect(scanner.push(enc.encode('2}]'))).toEqual(['{"b":2}']);
  });

  it('drops elements larger than the maximum and keeps going', () => {
    const scanner = new JsonArrayScanner({ maxElementSize: 20 });
    const big = JSON.stringify({ x: 'y'.repeat(50) });
    expect(scan(['[{"a":1},', big.slice(0, 25), big.slice(25), ',{"b":2}]'], scanner)).toEqual([
      '{"a":1}',
      '{"b":2}',
    ]);
    expect(scan([`[${big},{"c":3}]`], new JsonArrayScanner({ maxElementSize: 20 }))).toEqual(['{"c":3}']);
  });

  it('reads a lone object (an error body) as one element', () => {
    expect(scan(['{"error":{"code":429,', '"status":"RESOURCE_EXHAUSTED"}}'])).toEqual([
      '{"error":{"code":429,"status":"RESOURCE_EXHAUSTED"}}',
    ]);
  });
});
