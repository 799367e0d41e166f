import { describe, expect, it } from 'vitest';
import {
  canonicalDecimal,
  formatUsd,
  picoPerToken,
  picoPerUnit,
  picoToMicroUsd,
  scaleDecimal,
  usdToPico,
} from './money';

describe('canonicalDecimal', () => {
  it('normalizes strings and numbers to the decimal their author wrote', () => {
    expect(canonicalDecimal('2.50')).toBe('2.5');
    expect(canonicalDecimal('007')).toBe('7');
    expect(canonicalDecimal('0.0750')).toBe('0.075');
    expect(canonicalDecimal(' 3 ')).toBe('3');
    expect(canonicalDecimal(0.075)).toBe('0.075');
    expect(canonicalDecimal(1e-7)).toBe('0.0000001');
    expect(canonicalDecimal(0)).toBe('0');
  });

  it('rejects what is not a plain non-negative decimal', () => {
    for (const bad of ['-1', '1e3', '', '.5', '5.', 'abc', '1,5']) expect(canonicalDecimal(bad)).toBeNull();
    for (const bad of [-0.5, Number.NaN, Number.POSITIVE_INFINITY, 1e21])
      expect(canonicalDecimal(bad)).toBeNull();
  });
});

describe('exact scaling', () => {
  it('turns USD per 1M tokens into pico-USD per token without rounding', () => {
    expect(picoPerToken('0.075')).toBe(75_000n);
    expect(picoPerToken('2.5')).toBe(2_500_000n);
    expect(picoPerToken('0.000001')).toBe(1n);
    expect(picoPerUnit('0.0025')).toBe(2_500_000_000n);
  });

  it('refuses more places than the scale holds', () => {
    expect(() => scaleDecimal('0.0000001', 6)).toThrow(RangeError);
  });

  it('formats and parses USD exactly', () => {
    expect(formatUsd(1_500_000n)).toBe('0.0000015');
    expect(formatUsd(9_900_000_000n)).toBe('0.0099');
    expect(formatUsd(3_000_000_000_000n)).toBe('3');
    expect(formatUsd(0n)).toBe('0');
    expect(usdToPico('0.0099')).toBe(9_900_000_000n);
    expect(usdToPico(0.1)).toBe(100_000_000_000n);
  });
});

describe('picoToMicroUsd', () => {
  it('rounds as asked', () => {
    expect(picoToMicroUsd(1_000_000n, 'ceil')).toBe(1n);
    expect(picoToMicroUsd(1_000_001n, 'ceil')).toBe(2n);
    expect(picoToMicroUsd(1_999_999n, 'floor')).toBe(1n);
    expect(picoToMicroUsd(1_500_000n, 'half-up')).toBe(2n);
    expect(picoToMicroUsd(1_499_999n, 'half-up')).toBe(1n);
    expect(picoToMicroUsd(1n, 'ceil')).toBe(1n);
    expect(picoToMicroUsd(0n, 'ceil')).toBe(0n);
  });
});
