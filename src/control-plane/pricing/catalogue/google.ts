/**
 * Gemini on the Gemini API (paid tier) and Vertex AI, which serve these ids at the same list price,
 * USD per 1M tokens. Output includes thinking tokens (no separate reasoning price).
 *
 * Sources, checked 2026-11-25: ai.google.dev/gemini-api/docs/pricing as quoted on Google's developer
 * forum (discuss.ai.google.dev, Gemini 2.5 Pro context caching $0.125 / $0.25) and by price lists
 * citing it (simonw/llm-prices data/google.json, morphllm.com, deploybase.ai); every figure below is
 * in at least two of them. Context-cache storage (per token-hour) is not a per-request charge and is not modelled.
 *
 * Text/image/video input prices only: audio input costs more on the Flash models and is billed here
 * at the text price (the usage Gemini reports does not say which tokens were audio).
 * Where a cache-read price could not be confirmed (2.0 Flash, 2.5 Flash-Lite), cached tokens bill at
 * the input price: never less than the list price.
 */
import type { CatalogueEntry } from './entry';

const PRICING = 'ai.google.dev/gemini-api/docs/pricing (2026-11-25)';

export const GOOGLE_CATALOGUE: readonly CatalogueEntry[] = [
  {
    // $1.25 / $0.125 cached / $10 for prompts up to 200K; $2.50 / $0.25 / $15 above.
    ids: ['gemini-2.5-pro'],
    prices: {
      input: '1.25',
      cached_input: '0.125',
      output: '10',
      tiers: [{ above_input_tokens: 200_000, input: '2.5', cached_input: '0.25', output: '15' }],
    },
    source: PRICING,
  },
  {
    // $0.30 / $0.03 cached / $2.50.
    ids: ['gemini-2.5-flash'],
    prices: { input: '0.3', cached_input: '0.03', output: '2.5' },
    source: PRICING,
  },
  {
    // $0.10 / $0.40 (its cache-read price was in one list only, so cached tokens bill as input).
    ids: ['gemini-2.5-flash-lite'],
    prices: { input: '0.1', output: '0.4' },
    source: PRICING,
  },
  {
    // $0.10 / $0.40 (deprecated by Google; still priced for installations that use it).
    ids: ['gemini-2.0-flash', 'gemini-2.0-flash-001'],
    prices: { input: '0.1', output: '0.4' },
    source: PRICING,
  },
];
