/**
 * Meta Llama models as Groq serves them (Groq's own model ids), on-demand tier, USD per 1M tokens.
 *
 * Source: groq.com/pricing, checked 2026-11-25 through price lists that quote it and agree
 * (the aicost crate's data_groq.rs and published Groq cost-tuning guides); the official page itself
 * was not in the search corpus. Groq's prompt caching applies to other models than these.
 */
import type { CatalogueEntry } from './entry';

const PRICING = 'groq.com/pricing (2026-11-25)';

export const GROQ_CATALOGUE: readonly CatalogueEntry[] = [
  {
    ids: ['llama-3.3-70b-versatile'],
    prices: { input: '0.59', output: '0.79' },
    source: PRICING,
  },
  {
    ids: ['llama-3.1-8b-instant'],
    prices: { input: '0.05', output: '0.08' },
    source: PRICING,
  },
  {
    ids: ['meta-llama/llama-4-scout-17b-16e-instruct'],
    prices: { input: '0.11', output: '0.34' },
    source: PRICING,
  },
];
