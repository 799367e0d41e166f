/**
 * Exact money for pricing. Amounts are integer pico-USD (1e-12 USD) held in a bigint.
 *
 * Why pico: a price per 1M tokens with at most six decimals (1 micro-USD per 1M tokens, finer than
 * any provider publishes) is exactly an integer number of pico-USD per token, so `tokens x price`
 * is an exact integer with no rounding at any step, and sums over any number of requests stay
 * exact. Floats would drift (0.1 + 0.2), and whole micro-USD per request would round every cheap
 * request (ten cached tokens at $0.10/1M cost 1 micro-USD, at $0.01/1M a tenth of one).
 */

/** An amount of money in pico-USD (1e-12 USD). */
export type PicoUsd = bigint;

export const PICO_PER_USD = 1_000_000_000_000n;
export const PICO_PER_MICRO_USD = 1_000_000n;

/** Decimal places a price per 1M tokens may have: 1e-6 USD per 1M tokens = 1 pico-USD per token. */
export const TOKEN_PRICE_DECIMALS = 6;
/** Decimal places a per-unit price (one image) may have: 1e-12 USD = 1 pico-USD. */
export const UNIT_PRICE_DECIMALS = 12;

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * A non-negative decimal in canonical form ("2.50" -> "2.5", "007" -> "7"), or null when the text
 * is not a plain non-negative decimal. Numbers are read through their shortest round-trip text
 * (0.075 -> "0.075"), so a price typed as a JSON number means the decimal its author wrote.
 */
export function canonicalDecimal(value: string | number): string | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return null;
    text = String(value);
    // Tiny numbers print as 1e-7; toFixed spells them out (huge ones stay exponent and fail below).
    if (/e/i.test(text)) text = value.toFixed(20);
  } else {
    text = value.trim();
  }
  const match = DECIMAL.exec(text);
  if (match === null) return null;
  const whole = (match[1] ?? '0').replace(/^0+(?=\d)/, '');
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/** Number of decimal places of a canonical decimal. */
export function decimalPlaces(canonical: string): number {
  const dot = canonical.indexOf('.');
  return dot === -1 ? 0 : canonical.length - dot - 1;
}

/**
 * A canonical decimal scaled by 10^scale as an exact bigint: ("0.075", 6) -> 75000n. Throws
 * RangeError when the decimal has more places than the scale can hold (validated input never does).
 */
export function scaleDecimal(canonical: string, scale: number): bigint {
  const match = DECIMAL.exec(canonical);
  if (match === null) throw new RangeError(`Not a decimal: ${canonical}`);
  const fraction = match[2] ?? '';
  if (fraction.length > scale) throw new RangeError(`${canonical} has more than ${scale} decimal places`);
  return BigInt(`${match[1] ?? '0'}${fraction.padEnd(scale, '0')}`);
}

/** Pico-USD per token from a price in USD per 1M tokens (the two are numerically the micro-USD). */
export function picoPerToken(usdPerMillionTokens: string): PicoUsd {
  return scaleDecimal(usdPerMillionTokens, TOKEN_PRICE_DECIMALS);
}

/** Pico-USD per unit from a price in USD per unit. */
export function picoPerUnit(usdPerUnit: string): PicoUsd {
  return scaleDecimal(usdPerUnit, UNIT_PRICE_DECIMALS);
}

/** Pico-USD from a USD decimal (string or number) with at most 12 places. */
export function usdToPico(usd: string | number): PicoUsd {
  const canonical = canonicalDecimal(usd);
  if (canonical === null) throw new RangeError(`Not a non-negative decimal: ${String(usd)}`);
  return scaleDecimal(canonical, UNIT_PRICE_DECIMALS);
}

/** Exact USD decimal text of an amount: 1_500_000n -> "0.0000015". */
export function formatUsd(pico: PicoUsd): string {
  const negative = pico < 0n;
  const abs = negative ? -pico : pico;
  const whole = abs / PICO_PER_USD;
  const fraction = (abs % PICO_PER_USD).toString().padStart(12, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

export type Rounding = 'ceil' | 'floor' | 'half-up';

/**
 * Whole micro-USD of an amount, for stores and counters that keep integers of that unit. Quota
 * reservations should round up (`ceil`) so a reservation never undershoots the exact cost.
 */
export function picoToMicroUsd(pico: PicoUsd, rounding: Rounding): bigint {
  const quotient = pico / PICO_PER_MICRO_USD;
  const remainder = pico % PICO_PER_MICRO_USD;
  if (remainder === 0n) return quotient;
  // Amounts are non-negative here; bigint division truncates toward zero.
  switch (rounding) {
    case 'floor':
      return remainder > 0n ? quotient : quotient - 1n;
    case 'ceil':
      return remainder > 0n ? quotient + 1n : quotient;
    case 'half-up': {
      const twice = (remainder < 0n ? -remainder : remainder) * 2n;
      if (twice < PICO_PER_MICRO_USD) return quotient;
      return remainder > 0n ? quotient + 1n : quotient - 1n;
    }
  }
}
