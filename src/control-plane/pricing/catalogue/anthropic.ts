/**
 * Claude on the Anthropic API, Amazon Bedrock and Google Vertex AI, USD per 1M tokens.
 *
 * Source: https://platform.claude.com/docs/en/about-claude/pricing (model table: base input,
 * 5m cache writes, 1h cache writes, cache hits, output), checked 2026-11-25 (OFFICIAL). Vertex ids:
 * https://platform.claude.com/docs/en/build-with-claude/claude-on-vertex-ai. Bedrock ids as the
 * Bedrock integrations use them (langchain-community's Bedrock cost table, ax-llm);
 * `*anthropic.<id>` also covers the cross-region profiles (`us.`, `eu.`, `apac.`).
 *
 * Bedrock and Vertex bill the Claude API's prices for models before Sonnet 4.5. From Sonnet 4.5 on,
 * both offer global endpoints (no premium) and regional ones (a premium): on Bedrock only the
 * `global.` profile is listed here; Vertex ids are left out because the id does not tell which
 * endpoint served the request (an operator adds a provider-scoped rule).
 *
 * Long context: Sonnet 4 and 4.5 with the 1M-token window bill the whole request at $6 input /
 * $22.50 output once the prompt (cache reads and writes included) exceeds 200K tokens, with the
 * cache multipliers (1.25x, 2x, 0.1x) applied to the long-context input price (the pricing page's
 * long-context section, as quoted by several guides that agree; the section itself was not in
 * the search corpus).
 */
import type { CatalogueEntry } from './entry';

const PRICING = 'platform.claude.com/docs/en/about-claude/pricing (2026-11-25)';

const SONNET_LONG_CONTEXT = [
  {
    above_input_tokens: 200_000,
    input: '6',
    output: '22.5',
    cache_write_5m: '7.5',
    cache_write_1h: '12',
    cached_input: '0.6',
  },
];

const OPUS_4 = {
  input: '15',
  output: '75',
  cache_write_5m: '18.75',
  cache_write_1h: '30',
  cached_input: '1.5',
};

const SONNET = {
  input: '3',
  output: '15',
  cache_write_5m: '3.75',
  cache_write_1h: '6',
  cached_input: '0.3',
};

export const ANTHROPIC_CATALOGUE: readonly CatalogueEntry[] = [
  {
    // Claude Opus 4.5: $5 / $6.25 / $10 / $0.50 / $25.
    ids: ['claude-opus-4-5', 'claude-opus-4-5-20251101', 'global.anthropic.claude-opus-4-5-20251101-v1:0'],
    prices: { input: '5', output: '25', cache_write_5m: '6.25', cache_write_1h: '10', cached_input: '0.5' },
    source: PRICING,
  },
  {
    // Claude Opus 4.1: $15 / $18.75 / $30 / $1.50 / $75 (retired on the API, still on Bedrock and Vertex).
    ids: ['claude-opus-4-1', 'claude-opus-4-1-20250805', 'claude-opus-4-1@20250805'],
    globs: ['*anthropic.claude-opus-4-1-20250805-v1:0'],
    prices: OPUS_4,
    source: PRICING,
  },
  {
    // Claude Opus 4: same as Opus 4.1.
    ids: ['claude-opus-4-0', 'claude-opus-4-20250514', 'claude-opus-4@20250514'],
    globs: ['*anthropic.claude-opus-4-20250514-v1:0'],
    prices: OPUS_4,
    source: PRICING,
  },
  {
    // Claude Sonnet 4.5: $3 / $3.75 / $6 / $0.30 / $15, long context above 200K.
    ids: [
      'claude-sonnet-4-5',
      'claude-sonnet-4-5-20250929',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ],
    prices: { ...SONNET, tiers: SONNET_LONG_CONTEXT },
    source: PRICING,
  },
  {
    // Claude Sonnet 4: as Sonnet 4.5.
    ids: ['claude-sonnet-4-0', 'claude-sonnet-4-20250514', 'claude-sonnet-4@20250514'],
    globs: ['*anthropic.claude-sonnet-4-20250514-v1:0'],
    prices: { ...SONNET, tiers: SONNET_LONG_CONTEXT },
    source: PRICING,
  },
  {
    // Claude Sonnet 3.7 (deprecated): $3 / $3.75 / $6 / $0.30 / $15, 200K window (no long-context tier).
    ids: ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet-20250219', 'claude-3-7-sonnet@20250219'],
    globs: ['*anthropic.claude-3-7-sonnet-20250219-v1:0'],
    prices: SONNET,
    source: PRICING,
  },
  {
    // Claude Haiku 4.5: $1 / $1.25 / $2 / $0.10 / $5.
    ids: ['claude-haiku-4-5', 'claude-haiku-4-5-20251001', 'global.anthropic.claude-haiku-4-5-20251001-v1:0'],
    prices: { input: '1', output: '5', cache_write_5m: '1.25', cache_write_1h: '2', cached_input: '0.1' },
    source: PRICING,
  },
  {
    // Claude Haiku 3.5: $0.80 / $1 / $1.6 / $0.08 / $4.
    ids: ['claude-3-5-haiku-latest', 'claude-3-5-haiku-20241022', 'claude-3-5-haiku@20241022'],
    globs: ['*anthropic.claude-3-5-haiku-20241022-v1:0'],
    prices: { input: '0.8', output: '4', cache_write_5m: '1', cache_write_1h: '1.6', cached_input: '0.08' },
    source: PRICING,
  },
  {
    // Claude Haiku 3: $0.25 / $0.30 / $0.50 / $0.03 / $1.25.
    ids: ['claude-3-haiku-20240307', 'claude-3-haiku@20240307'],
    globs: ['*anthropic.claude-3-haiku-20240307-v1:0'],
    prices: {
      input: '0.25',
      output: '1.25',
      cache_write_5m: '0.3',
      cache_write_1h: '0.5',
      cached_input: '0.03',
    },
    source: PRICING,
  },
];
