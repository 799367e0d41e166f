import { describe, expect, it } from 'vitest';
import { emptyBillableUsage } from './billable-usage';
import { computeCost } from './compute-cost';
import {
  DEFAULT_ESTIMATE_MAX_OUTPUT_TOKENS,
  ESTIMATE_BYTES_PER_TOKEN,
  estimateCost,
  estimateInputTokens,
} from './estimate-cost';
import type { CostEstimate, PricedEstimate } from './estimate-cost';
import { formatUsd } from './money';
import { rule } from './test-rules';
import { utf8ByteLength } from '../../core/utf8';

function priced(estimate: CostEstimate): PricedEstimate {
  if (estimate.unpriced) throw new Error('expected a priced estimate');
  return estimate;
}

const DEBOUNCE = `export function debounce<T extends (...args: unknown[]) => void>(fn: T, ms: number): T {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return ((...args: unknown[]) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  }) as T;
}`;

/**
 * Realistic chat request bodies with the input tokens they actually cost. `tokens` is the larger of
 * two counts, each the message texts (and tool schemas as JSON) plus the chat template's 4 tokens
 * per message and 3 for the reply: o200k_base (gpt-tokenizer 4.0) and Claude's published tokenizer
 * (@anthropic-ai/tokenizer 0.0.4) scaled by 1.3 for the newer Claude tokenizer, which Anthropic
 * says counts about 30% more tokens. `bytes` pins the body so the counts stay tied to it.
 */
const SAMPLES: { name: string; body: unknown; bytes: number; tokens: number }[] = [
  {
    name: 'greeting',
    body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello! How are you today?' }] },
    bytes: 85,
    tokens: 17,
  },
  {
    name: 'prose with a system prompt',
    body: {
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are a concise assistant. Answer in two sentences.' },
        {
          role: 'user',
          content:
            'Explain why the sky is blue, and why sunsets are red, to a curious ten-year-old who likes science experiments and asks a lot of follow-up questions.',
        },
      ],
    },
    bytes: 292,
    tokens: 75,
  },
  {
    name: 'code review',
    body: {
      model: 'gpt-4o',
      max_tokens: 512,
      messages: [
        {
          role: 'user',
          content: 'Review this TypeScript function and point out any bugs:\n\n```ts\n' + DEBOUNCE + '\n```',
        },
      ],
    },
    bytes: 444,
    tokens: 137,
  },
  {
    name: 'JSON extraction',
    body: {
      model: 'gpt-4o',
      messages: [
        {
          role: 'user',
          content:
            'Extract the names and cities as JSON: ' +
            JSON.stringify({
              people: [
                { name: 'Ada Lovelace', city: 'London', born: 1815 },
                { name: 'Alan Turing', city: 'Wilmslow', born: 1912 },
                { name: 'Grace Hopper', city: 'New York', born: 1906 },
              ],
            }),
        },
      ],
    },
    bytes: 301,
    tokens: 85,
  },
  {
    name: 'Japanese',
    body: {
      model: 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: '東京から大阪までの新幹線の所要時間と、おすすめの駅弁を三つ教えてください。',
        },
      ],
    },
    bytes: 171,
    tokens: 61,
  },
  {
    name: 'tool definition',
    body: {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Get the current weather for a city',
            parameters: {
              type: 'object',
              properties: {
                city: { type: 'string', description: 'City name' },
                unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
              },
              required: ['city'],
            },
          },
        },
      ],
    },
    bytes: 378,
    tokens: 102,
  },
];

const sonnet = rule({
  model: 'claude-sonnet-4-5',
  input: '3',
  output: '15',
  cached_input: '0.3',
  cache_write_5m: '3.75',
  cache_write_1h: '6',
  tiers: [{ above_input_tokens: 200_000, input: '6', output: '22.5' }],
});

describe('estimateCost', () => {
  it('is input bytes / 2 at the input price plus max output tokens at the output price', () => {
    const estimate = priced(estimateCost(sonnet, { inputBytes: 10_001, maxOutputTokens: 1000 }));
    expect(ESTIMATE_BYTES_PER_TOKEN).toBe(2);
    expect(estimate.inputTokens).toBe(5001);
    expect(estimate.outputTokens).toBe(1000);
    expect(estimate.inputPicoUsd).toBe(5001n * 3_000_000n);
    expect(estimate.outputPicoUsd).toBe(1000n * 15_000_000n);
    expect(formatUsd(estimate.totalPicoUsd)).toBe('0.030003');
  });

  it('assumes the default maximum when the request sets none', () => {
    expect(priced(estimateCost(sonnet, { inputBytes: 0 })).outputTokens).toBe(
      DEFAULT_ESTIMATE_MAX_OUTPUT_TOKENS,
    );
    expect(priced(estimateCost(sonnet, { inputBytes: 0, maxOutputTokens: null })).outputTokens).toBe(4096);
    expect(
      priced(estimateCost(sonnet, { inputBytes: 0 }, { defaultMaxOutputTokens: 32_000 })).outputTokens,
    ).toBe(32_000);
  });

  it('selects the tier from the estimated prompt size', () => {
    expect(
      priced(estimateCost(sonnet, { inputBytes: 400_000, maxOutputTokens: 1 })).tierAboveInputTokens,
    ).toBeNull();
    const long = priced(estimateCost(sonnet, { inputBytes: 400_001, maxOutputTokens: 1 }));
    expect(long.tierAboveInputTokens).toBe(200_000);
    expect(long.inputPicoUsd).toBe(200_001n * 6_000_000n);
    expect(long.outputPicoUsd).toBe(22_500_000n);
  });

  it('leans high: the dearer of output and reasoning, the cache-write price when the request writes', () => {
    const apart = rule({ model: 'm', input: '1', output: '4', reasoning: '10' });
    expect(priced(estimateCost(apart, { inputBytes: 0, maxOutputTokens: 100 })).outputPicoUsd).toBe(
      100n * 10_000_000n,
    );
    const write5m = priced(
      estimateCost(sonnet, { inputBytes: 2000, maxOutputTokens: 0, promptCacheWrite: '5m' }),
    );
    const write1h = priced(
      estimateCost(sonnet, { inputBytes: 2000, maxOutputTokens: 0, promptCacheWrite: '1h' }),
    );
    expect(write5m.inputPicoUsd).toBe(1000n * 3_750_000n);
    expect(write1h.inputPicoUsd).toBe(1000n * 6_000_000n);
    const extra = priced(
      estimateCost(sonnet, { inputBytes: 2000, maxOutputTokens: 0, extraInputTokens: 346 }),
    );
    expect(extra.inputTokens).toBe(1346);
  });

  it('is flagged unpriced (no amount) without a rule, but still reports the token estimate', () => {
    expect(estimateCost(null, { inputBytes: 100, maxOutputTokens: 10 })).toEqual({
      unpriced: true,
      totalPicoUsd: null,
      inputTokens: 50,
      outputTokens: 10,
    });
  });

  it('is never below the actual cost for a sample of realistic requests', () => {
    for (const sample of SAMPLES) {
      const bytes = utf8ByteLength(JSON.stringify(sample.body));
      expect({ name: sample.name, bytes }).toEqual({ name: sample.name, bytes: sample.bytes });
      const outputTokens = 300;
      const estimate = priced(estimateCost(sonnet, { inputBytes: bytes, maxOutputTokens: outputTokens }));
      expect(estimate.inputTokens, sample.name).toBeGreaterThanOrEqual(sample.tokens);
      const actual = computeCost(sonnet, {
        ...emptyBillableUsage(),
        inputTokens: sample.tokens,
        outputTokens,
      });
      if (actual.unpriced) throw new Error('expected a priced cost');
      expect(estimate.totalPicoUsd >= actual.totalPicoUsd, sample.name).toBe(true);
    }
  });

  it('never under-estimates input tokens by more than the ratio, whatever the text', () => {
    // Each token covers at least one byte, so even one token per byte is within a factor of 2.
    for (const bytes of [1, 2, 3, 999, 1000, 123_457]) {
      expect(estimateInputTokens(bytes) * ESTIMATE_BYTES_PER_TOKEN).toBeGreaterThanOrEqual(bytes);
    }
  });
});

describe('utf8ByteLength', () => {
  it('counts UTF-8 bytes like TextEncoder', () => {
    for (const text of ['', 'abc', 'é', '東京', '🙂 ok', '\ud800 lone surrogate', 'x\udc00']) {
      expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).byteLength);
    }
  });
});
