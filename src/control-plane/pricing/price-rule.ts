/**
 * Price rules: the record operators write in bundles and through the admin API (snake_case), its
 * zod schema, and its compiled form that resolution and costing read. See docs/billing.md.
 *
 * Token prices are USD per 1M tokens, given as decimal strings ("2.50") or JSON numbers (2.5), with
 * at most six decimals; `image_input` is USD per image with at most twelve. Validation keeps them as
 * canonical decimal strings (so a bundle round-trips exactly); compilation turns them into exact
 * pico-USD per token (see money.ts).
 */
import { z } from 'zod';
import { formatIssuePath } from '../bundle-errors';
import { compileGlob, globSpecificity } from './glob';
import type { GlobSpecificity } from './glob';
import {
  TOKEN_PRICE_DECIMALS,
  UNIT_PRICE_DECIMALS,
  canonicalDecimal,
  decimalPlaces,
  picoPerToken,
  picoPerUnit,
} from './money';
import type { PicoUsd } from './money';

export const PRICE_MATCHES = ['exact', 'glob'] as const;
export type PriceMatch = (typeof PRICE_MATCHES)[number];

/** Largest accepted price (per 1M tokens or per image): far above any real one, catches unit mix-ups. */
export const MAX_PRICE_USD = 100_000;

function priceSchema(decimals: number, unit: string) {
  return z
    .union([z.string(), z.number()], { error: `Must be a decimal string or a number (USD ${unit})` })
    .transform((value, ctx) => {
      const canonical = canonicalDecimal(value);
      if (canonical === null) {
        ctx.addIssue({
          code: 'custom',
          message: `Must be a non-negative decimal (USD ${unit}), e.g. "2.50"`,
        });
        return z.NEVER;
      }
      if (decimalPlaces(canonical) > decimals) {
        ctx.addIssue({ code: 'custom', message: `Must have at most ${decimals} decimal places` });
        return z.NEVER;
      }
      if (Number(canonical) > MAX_PRICE_USD) {
        ctx.addIssue({ code: 'custom', message: `Must be at most ${MAX_PRICE_USD} (USD ${unit})` });
        return z.NEVER;
      }
      return canonical;
    });
}

const tokenPrice = priceSchema(TOKEN_PRICE_DECIMALS, 'per 1M tokens');
const imagePrice = priceSchema(UNIT_PRICE_DECIMALS, 'per image');
const optionalTokenPrice = tokenPrice.nullable().default(null);

/** Prices a tier may override; the ones it leaves out keep the rule's base price. */
const tierSchema = z
  .strictObject({
    /** The tier applies when the prompt (every input token, cache reads and writes included) exceeds this. */
    above_input_tokens: z.number().int('Must be an integer').min(1, 'Must be a positive integer'),
    input: tokenPrice.optional(),
    output: tokenPrice.optional(),
    cached_input: tokenPrice.optional(),
    cache_write_5m: tokenPrice.optional(),
    cache_write_1h: tokenPrice.optional(),
    reasoning: tokenPrice.optional(),
    image_input: imagePrice.optional(),
  })
  .refine(
    (tier) => Object.keys(tier).some((key) => key !== 'above_input_tokens'),
    'A tier must set at least one price',
  );

const EFFECTIVE_FROM = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** A real calendar day: Date.parse would roll 2026-02-30 over into March. */
function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number);
  if (year === undefined || month === undefined || day === undefined) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const effectiveFrom = z
  .string()
  .refine(
    (text) => EFFECTIVE_FROM.test(text) && isCalendarDate(text) && Number.isFinite(effectiveFromMs(text)),
    'Must be a date (YYYY-MM-DD, UTC) or an ISO 8601 date-time with a time zone',
  );

const priceRuleShape = {
  /** A provider name: the rule prices that provider's models only. Null: every provider. */
  provider: z.string().min(1, 'Must not be empty').max(200).nullable().default(null),
  /** The upstream model id, or a glob over it when `match` is `glob`. */
  model: z.string().min(1, 'Must not be empty').max(200, 'Must be at most 200 characters'),
  match: z.enum(PRICE_MATCHES, { error: 'Must be "exact" or "glob"' }).default('exact'),
  /** Uncached prompt tokens. */
  input: tokenPrice,
  /** Completion tokens, reasoning included unless `reasoning` is set. */
  output: tokenPrice,
  /** Prompt tokens read from the provider's cache. Null: billed as input. */
  cached_input: optionalTokenPrice,
  /** Prompt tokens written to the cache with a 5-minute lifetime. Null: billed as input. */
  cache_write_5m: optionalTokenPrice,
  /** Prompt tokens written to the cache with a 1-hour lifetime. Null: the 5-minute price, else input. */
  cache_write_1h: optionalTokenPrice,
  /** Reasoning tokens, only where the provider bills them apart from output. Null: billed as output. */
  reasoning: optionalTokenPrice,
  /** Per image, only where the provider bills images apart from their input tokens. Null: no extra. */
  image_input: imagePrice.nullable().default(null),
  tiers: z.array(tierSchema).default([]),
  /** From when the rule applies; null: always. */
  effective_from: effectiveFrom.nullable().default(null),
  /** Where the prices come from (a pricing page, a contract); shown to operators only. */
  source: z.string().max(500, 'Must be at most 500 characters').nullable().default(null),
};

function checkTierOrder(
  rule: { tiers: readonly { above_input_tokens: number }[] },
  ctx: z.RefinementCtx,
): void {
  let previous = 0;
  rule.tiers.forEach((tier, index) => {
    if (tier.above_input_tokens <= previous) {
      ctx.addIssue({
        code: 'custom',
        path: ['tiers', index, 'above_input_tokens'],
        message: 'Tiers must be in increasing order of above_input_tokens, without repeats',
      });
    }
    previous = Math.max(previous, tier.above_input_tokens);
  });
}

export const priceRuleSchema = z.strictObject(priceRuleShape).superRefine(checkTierOrder);

/**
 * A price rule as a control-plane record (bundle `prices`, /admin/prices): the rule plus a `name`,
 * unique, that the admin API and bundle merges address it by.
 */
export const namedPriceRuleSchema = z
  .strictObject({
    name: z
      .string()
      .min(1, 'Must not be empty')
      .max(200, 'Must be at most 200 characters')
      .refine((name) => !name.includes('/'), 'Must not contain "/"'),
    ...priceRuleShape,
  })
  .superRefine(checkTierOrder);

/** A validated price rule (prices as canonical decimal strings). */
export type PriceRule = z.output<typeof priceRuleSchema>;
/** What an operator may write: defaults omitted, prices as strings or numbers. */
export type PriceRuleInput = z.input<typeof priceRuleSchema>;
export type PriceTier = PriceRule['tiers'][number];

export type PriceRuleParse = { ok: true; rule: PriceRule } | { ok: false; issues: string[] };

/** Validates one rule; each problem is a line naming its field, e.g. `tiers[0].input: ...`. */
export function parsePriceRule(input: unknown): PriceRuleParse {
  const parsed = priceRuleSchema.safeParse(input);
  if (parsed.success) return { ok: true, rule: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`),
  };
}

/** Epoch milliseconds of an `effective_from` (a bare date is midnight UTC); NaN when invalid. */
export function effectiveFromMs(text: string): number {
  return Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
}

/** Prices in pico-USD per token (per image for `imageInput`); null where the rule sets none. */
export interface TokenPrices {
  input: PicoUsd;
  output: PicoUsd;
  cachedInput: PicoUsd | null;
  cacheWrite5m: PicoUsd | null;
  cacheWrite1h: PicoUsd | null;
  reasoning: PicoUsd | null;
  imageInput: PicoUsd | null;
}

export interface CompiledTier {
  aboveInputTokens: number;
  /** The tier's prices with the base filled in where the tier sets none. */
  prices: TokenPrices;
}

export interface CompiledPriceRule {
  readonly rule: PriceRule;
  readonly provider: string | null;
  readonly model: string;
  readonly match: PriceMatch;
  /** The compiled glob; null for exact rules. */
  readonly pattern: RegExp | null;
  readonly specificity: GlobSpecificity | null;
  /** Epoch ms; null: effective since always. */
  readonly effectiveFrom: number | null;
  readonly base: TokenPrices;
  /** In increasing order of threshold. */
  readonly tiers: readonly CompiledTier[];
}

function tokenPriceOrNull(price: string | null | undefined): PicoUsd | null {
  return price === null || price === undefined ? null : picoPerToken(price);
}

function basePrices(rule: PriceRule): TokenPrices {
  return {
    input: picoPerToken(rule.input),
    output: picoPerToken(rule.output),
    cachedInput: tokenPriceOrNull(rule.cached_input),
    cacheWrite5m: tokenPriceOrNull(rule.cache_write_5m),
    cacheWrite1h: tokenPriceOrNull(rule.cache_write_1h),
    reasoning: tokenPriceOrNull(rule.reasoning),
    imageInput: rule.image_input === null ? null : picoPerUnit(rule.image_input),
  };
}

function tierPrices(base: TokenPrices, tier: PriceTier): TokenPrices {
  return {
    input: tier.input === undefined ? base.input : picoPerToken(tier.input),
    output: tier.output === undefined ? base.output : picoPerToken(tier.output),
    cachedInput: tokenPriceOrNull(tier.cached_input) ?? base.cachedInput,
    cacheWrite5m: tokenPriceOrNull(tier.cache_write_5m) ?? base.cacheWrite5m,
    cacheWrite1h: tokenPriceOrNull(tier.cache_write_1h) ?? base.cacheWrite1h,
    reasoning: tokenPriceOrNull(tier.reasoning) ?? base.reasoning,
    imageInput: tier.image_input === undefined ? base.imageInput : picoPerUnit(tier.image_input),
  };
}

/** Compiles a validated rule; throws RangeError on a rule that did not come through the schema. */
export function compilePriceRule(rule: PriceRule): CompiledPriceRule {
  const base = basePrices(rule);
  const glob = rule.match === 'glob';
  const effectiveFrom = rule.effective_from === null ? null : effectiveFromMs(rule.effective_from);
  if (effectiveFrom !== null && !Number.isFinite(effectiveFrom)) {
    throw new RangeError(`Invalid effective_from: ${rule.effective_from}`);
  }
  return {
    rule,
    provider: rule.provider,
    model: rule.model,
    match: rule.match,
    pattern: glob ? compileGlob(rule.model) : null,
    specificity: glob ? globSpecificity(rule.model) : null,
    effectiveFrom,
    base,
    tiers: [...rule.tiers]
      .sort((a, b) => a.above_input_tokens - b.above_input_tokens)
      .map((tier) => ({ aboveInputTokens: tier.above_input_tokens, prices: tierPrices(base, tier) })),
  };
}

/** Validates and compiles rules written in the bundle shape (the default catalogue's path). */
export function compilePriceRules(inputs: readonly PriceRuleInput[]): CompiledPriceRule[] {
  return inputs.map((input) => compilePriceRule(priceRuleSchema.parse(input)));
}

/** The prices that apply to a prompt of `inputTokens` (every prompt token, cache included). */
export function pricesForPrompt(
  rule: CompiledPriceRule,
  inputTokens: number,
): { prices: TokenPrices; tier: CompiledTier | null } {
  let selected: CompiledTier | null = null;
  for (const tier of rule.tiers) if (inputTokens > tier.aboveInputTokens) selected = tier;
  return { prices: selected?.prices ?? rule.base, tier: selected };
}
