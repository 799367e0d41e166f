import { describe, expect, it } from 'vitest';
import { emptyBillableUsage } from './billable-usage';
import type { BillableUsage } from './billable-usage';
import { UNPRICED, computeCost } from './compute-cost';
import type { CostResult, PricedCost } from './compute-cost';
import { formatUsd } from './money';
import { rule } from './test-rules';

const usage = (part: Partial<BillableUsage>): BillableUsage => ({ ...emptyBillableUsage(), ...part });

function priced(result: CostResult): PricedCost {
  if (result.unpriced) throw new Error('expected a priced result');
  return result;
}

const claude = rule({
  model: 'claude-sonnet-4-5',
  input: '3',
  output: '15',
  cached_input: '0.3',
  cache_write_5m: '3.75',
  cache_write_1h: '6',
  tiers: [
    {
      above_input_tokens: 200_000,
      input: '6',
      output: '22.5',
      cached_input: '0.6',
      cache_write_5m: '7.5',
      cache_write_1h: '12',
    },
  ],
});

describe('computeCost', () => {
  it('bills each token class at its own price, exactly', () => {
    const cost = priced(
      computeCost(
        claude,
        usage({
          inputTokens: 10_000,
          cachedInputTokens: 6_000,
          cacheCreationTokens: 1_000,
          cacheCreation1hTokens: 500,
          outputTokens: 800,
          reasoningTokens: 300,
        }),
      ),
    );
    expect(cost.breakdown.input).toEqual({ quantity: 2_500, picoUsd: 2_500n * 3_000_000n });
    expect(cost.breakdown.cachedInput).toEqual({ quantity: 6_000, picoUsd: 6_000n * 300_000n });
    expect(cost.breakdown.cacheWrite5m).toEqual({ quantity: 1_000, picoUsd: 1_000n * 3_750_000n });
    expect(cost.breakdown.cacheWrite1h).toEqual({ quantity: 500, picoUsd: 500n * 6_000_000n });
    // No separate reasoning price: reasoning stays in output at the output price.
    expect(cost.breakdown.output).toEqual({ quantity: 800, picoUsd: 800n * 15_000_000n });
    expect(cost.breakdown.reasoning.quantity).toBe(0);
    expect(formatUsd(cost.totalPicoUsd)).toBe('0.02805');
    expect(cost.tierAboveInputTokens).toBeNull();
    expect(cost.adjusted).toBe(false);
  });

  it('bills a 1-hour cache write at its own price, not the 5-minute one', () => {
    const fiveMinutes = priced(computeCost(claude, usage({ inputTokens: 1000, cacheCreationTokens: 1000 })));
    const oneHour = priced(computeCost(claude, usage({ inputTokens: 1000, cacheCreation1hTokens: 1000 })));
    expect(formatUsd(fiveMinutes.totalPicoUsd)).toBe('0.00375');
    expect(formatUsd(oneHour.totalPicoUsd)).toBe('0.006');
  });

  it('falls back for missing class prices: cache read and writes at input, 1h at the 5m price', () => {
    const plain = rule({ model: 'm', input: '2', output: '8' });
    const cost = priced(
      computeCost(
        plain,
        usage({
          inputTokens: 300,
          cachedInputTokens: 100,
          cacheCreationTokens: 100,
          cacheCreation1hTokens: 100,
        }),
      ),
    );
    expect(cost.breakdown.cachedInput.picoUsd).toBe(100n * 2_000_000n);
    expect(cost.breakdown.cacheWrite5m.picoUsd).toBe(100n * 2_000_000n);
    expect(cost.breakdown.cacheWrite1h.picoUsd).toBe(100n * 2_000_000n);
    const with5m = rule({ model: 'm', input: '2', output: '8', cache_write_5m: '2.5' });
    expect(
      priced(computeCost(with5m, usage({ inputTokens: 100, cacheCreation1hTokens: 100 }))).totalPicoUsd,
    ).toBe(100n * 2_500_000n);
  });

  it('bills reasoning apart only when the rule prices it apart', () => {
    const together = rule({ model: 'm', input: '1', output: '4' });
    const apart = rule({ model: 'm', input: '1', output: '4', reasoning: '10' });
    const used = usage({ outputTokens: 1000, reasoningTokens: 600 });
    const a = priced(computeCost(together, used));
    const b = priced(computeCost(apart, used));
    expect(a.breakdown.output).toEqual({ quantity: 1000, picoUsd: 1000n * 4_000_000n });
    expect(a.breakdown.reasoning).toEqual({ quantity: 0, picoUsd: 0n });
    expect(b.breakdown.output).toEqual({ quantity: 400, picoUsd: 400n * 4_000_000n });
    expect(b.breakdown.reasoning).toEqual({ quantity: 600, picoUsd: 600n * 10_000_000n });
    expect(formatUsd(a.totalPicoUsd)).toBe('0.004');
    expect(formatUsd(b.totalPicoUsd)).toBe('0.0076');
  });

  it('adds a per-image price only where the rule sets one', () => {
    const perImage = rule({ model: 'm', input: '1', output: '1', image_input: '0.0025' });
    expect(priced(computeCost(perImage, usage({ images: 4 }))).breakdown.images).toEqual({
      quantity: 4,
      picoUsd: 10_000_000_000n,
    });
    const tokenized = rule({ model: 'm', input: '1', output: '1' });
    expect(priced(computeCost(tokenized, usage({ images: 4 }))).breakdown.images).toEqual({
      quantity: 0,
      picoUsd: 0n,
    });
  });

  it('switches tier strictly above the threshold, counting the whole prompt, cache included', () => {
    const at = (inputTokens: number) =>
      priced(computeCost(claude, usage({ inputTokens, cachedInputTokens: 150_000, outputTokens: 1000 })));
    const below = at(199_999);
    const exactly = at(200_000);
    const above = at(200_001);
    expect(below.tierAboveInputTokens).toBeNull();
    expect(exactly.tierAboveInputTokens).toBeNull();
    expect(above.tierAboveInputTokens).toBe(200_000);
    expect(exactly.breakdown.input.picoUsd).toBe(50_000n * 3_000_000n);
    expect(exactly.breakdown.output.picoUsd).toBe(1000n * 15_000_000n);
    // Above: every class at the long-context price, for the whole request.
    expect(above.breakdown.input.picoUsd).toBe(50_001n * 6_000_000n);
    expect(above.breakdown.cachedInput.picoUsd).toBe(150_000n * 600_000n);
    expect(above.breakdown.output.picoUsd).toBe(1000n * 22_500_000n);
    expect(formatUsd(below.totalPicoUsd)).toBe('0.209997');
    expect(formatUsd(above.totalPicoUsd)).toBe('0.412506');
  });

  it('flags a request with no rule as unpriced, with no amount (never $0)', () => {
    const result = computeCost(null, usage({ inputTokens: 1000, outputTokens: 1000 }));
    expect(result).toBe(UNPRICED);
    expect(result.unpriced).toBe(true);
    expect(result.totalPicoUsd).toBeNull();
    // A rule that really says zero is a free model, and is priced.
    const free = priced(
      computeCost(rule({ model: 'local', input: '0', output: '0' }), usage({ inputTokens: 5 })),
    );
    expect(free.unpriced).toBe(false);
    expect(free.totalPicoUsd).toBe(0n);
  });

  it('never drops a reported token: inconsistent totals are raised and flagged', () => {
    const cost = priced(
      computeCost(
        claude,
        usage({ inputTokens: 100, cachedInputTokens: 500, outputTokens: 10, reasoningTokens: 50 }),
      ),
    );
    expect(cost.adjusted).toBe(true);
    expect(cost.breakdown.input.quantity).toBe(0);
    expect(cost.breakdown.cachedInput.quantity).toBe(500);
    expect(cost.breakdown.output.quantity).toBe(50);
    // Garbage counts are read as zero, fractions round up.
    const odd = priced(computeCost(claude, usage({ inputTokens: Number.NaN, outputTokens: 1.2 })));
    expect(odd.breakdown.input.quantity).toBe(0);
    expect(odd.breakdown.output.quantity).toBe(2);
  });

  it('stays exact over a million small requests (no float drift)', () => {
    // Seven cached tokens at $0.075 per 1M: 0.000000525 USD per request.
    const cheap = rule({ model: 'm', input: '0.15', output: '0.6', cached_input: '0.075' });
    const one = usage({ inputTokens: 7, cachedInputTokens: 7 });
    let total = 0n;
    let floatTotal = 0;
    for (let i = 0; i < 1_000_000; i++) {
      total += priced(computeCost(cheap, one)).totalPicoUsd;
      floatTotal += (7 * 0.075) / 1_000_000;
    }
    expect(total).toBe(525_000_000_000n);
    expect(formatUsd(total)).toBe('0.525');
    // What the same sum in floating point would have recorded instead.
    expect(floatTotal).not.toBe(0.525);
  });
});
