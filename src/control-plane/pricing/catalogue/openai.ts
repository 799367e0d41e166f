/**
 * OpenAI API models, standard tier (not Batch, Flex or Priority), USD per 1M tokens. OpenAI bills
 * reasoning tokens as output and reports cached reads inside the prompt count.
 *
 * Sources, checked 2026-11-25:
 * - OFFICIAL: the model pages developers.openai.com/api/docs/models/<id> (input / cached input /
 *   output), where the search corpus had them (noted per entry).
 * - SECONDARY: where it did not, the price is taken only when at least two independent price lists
 *   that cite developers.openai.com/api/docs/pricing agree (simonw/llm-prices data/openai.json,
 *   github/docs data/tables/copilot/models-and-pricing.yml, litellm's price map, vendor gateways).
 *
 * Only aliases and dated snapshots known to share the alias's price are listed: `gpt-4o-2024-05-13`
 * ($5 / $15) is deliberately absent, and no glob is used, because OpenAI reuses prefixes for
 * differently priced models (`gpt-4o-audio-preview`, `gpt-4o-search-preview`, `gpt-4o-mini`).
 */
import type { CatalogueEntry } from './entry';

const PRICING = 'developers.openai.com/api/docs/pricing (2026-11-25)';

export const OPENAI_CATALOGUE: readonly CatalogueEntry[] = [
  {
    // SECONDARY: $2.50 / $1.25 / $10.
    ids: ['gpt-4o', 'gpt-4o-2024-08-06'],
    prices: { input: '2.5', cached_input: '1.25', output: '10' },
    source: PRICING,
  },
  {
    // SECONDARY: $0.15 / $0.075 / $0.60.
    ids: ['gpt-4o-mini', 'gpt-4o-mini-2024-07-18'],
    prices: { input: '0.15', cached_input: '0.075', output: '0.6' },
    source: PRICING,
  },
  {
    // SECONDARY: $2 / $0.50 / $8.
    ids: ['gpt-4.1', 'gpt-4.1-2025-04-14'],
    prices: { input: '2', cached_input: '0.5', output: '8' },
    source: PRICING,
  },
  {
    // SECONDARY: $0.40 / $0.10 / $1.60.
    ids: ['gpt-4.1-mini', 'gpt-4.1-mini-2025-04-14'],
    prices: { input: '0.4', cached_input: '0.1', output: '1.6' },
    source: PRICING,
  },
  {
    // OFFICIAL developers.openai.com/api/docs/models/gpt-4.1-nano: $0.10 / $0.025 / $0.40.
    ids: ['gpt-4.1-nano', 'gpt-4.1-nano-2025-04-14'],
    prices: { input: '0.1', cached_input: '0.025', output: '0.4' },
    source: 'developers.openai.com/api/docs/models/gpt-4.1-nano (2026-11-25)',
  },
  {
    // SECONDARY: $2 / $0.50 / $8 (the price since OpenAI's June 2025 cut; older lists say $10 / $40).
    ids: ['o3', 'o3-2025-04-16'],
    prices: { input: '2', cached_input: '0.5', output: '8' },
    source: PRICING,
  },
  {
    // SECONDARY: $1.10 / $0.275 / $4.40.
    ids: ['o4-mini', 'o4-mini-2025-04-16'],
    prices: { input: '1.1', cached_input: '0.275', output: '4.4' },
    source: PRICING,
  },
  {
    // SECONDARY: $1.25 / $0.125 / $10.
    ids: ['gpt-5', 'gpt-5-2025-08-07'],
    prices: { input: '1.25', cached_input: '0.125', output: '10' },
    source: PRICING,
  },
  {
    // SECONDARY: $0.25 / $0.025 / $2.
    ids: ['gpt-5-mini', 'gpt-5-mini-2025-08-07'],
    prices: { input: '0.25', cached_input: '0.025', output: '2' },
    source: PRICING,
  },
  {
    // OFFICIAL developers.openai.com/api/docs/models/gpt-5-nano: $0.05 / $0.005 / $0.40.
    ids: ['gpt-5-nano', 'gpt-5-nano-2025-08-07'],
    prices: { input: '0.05', cached_input: '0.005', output: '0.4' },
    source: 'developers.openai.com/api/docs/models/gpt-5-nano (2026-11-25)',
  },
  {
    // SECONDARY: $1.75 / $0.175 / $14.
    ids: ['gpt-5.2'],
    prices: { input: '1.75', cached_input: '0.175', output: '14' },
    source: PRICING,
  },
  {
    // SECONDARY: $2.50 / $0.25 / $15; prompts above 272K: $5 / $0.50 / $22.50 for the whole request.
    ids: ['gpt-5.4'],
    prices: {
      input: '2.5',
      cached_input: '0.25',
      output: '15',
      tiers: [{ above_input_tokens: 272_000, input: '5', cached_input: '0.5', output: '22.5' }],
    },
    source: PRICING,
  },
  {
    // SECONDARY: $0.75 / $0.075 / $4.50.
    ids: ['gpt-5.4-mini'],
    prices: { input: '0.75', cached_input: '0.075', output: '4.5' },
    source: PRICING,
  },
  {
    // SECONDARY: $0.20 / $0.02 / $1.25.
    ids: ['gpt-5.4-nano'],
    prices: { input: '0.2', cached_input: '0.02', output: '1.25' },
    source: PRICING,
  },
  {
    // SECONDARY: $5 / $0.50 / $30; prompts above 272K: $10 / $1 / $45 for the whole request.
    ids: ['gpt-5.5'],
    prices: {
      input: '5',
      cached_input: '0.5',
      output: '30',
      tiers: [{ above_input_tokens: 272_000, input: '10', cached_input: '1', output: '45' }],
    },
    source: PRICING,
  },
];
