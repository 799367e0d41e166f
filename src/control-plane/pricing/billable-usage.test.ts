import { describe, expect, it } from 'vitest';
import type { UpstreamWireKind } from '../../protocol/operation';
import { billableFromUsage, billableFromWireResponse, claudeCacheWrite1hTokens } from './billable-usage';
import type { BillableUsage } from './billable-usage';
import { computeCost } from './compute-cost';
import { formatUsd } from './money';
import { rule } from './test-rules';

/**
 * One conversation turn as each wire reports it: 1,000 uncached prompt tokens, 3,000 read from the
 * prompt cache, 400 completion tokens of which 150 are reasoning.
 */
const SAME_TURN: Record<UpstreamWireKind, unknown> = {
  // prompt_tokens includes cached_tokens; completion_tokens includes reasoning_tokens.
  'openai-chat': {
    usage: {
      prompt_tokens: 4000,
      completion_tokens: 400,
      total_tokens: 4400,
      prompt_tokens_details: { cached_tokens: 3000 },
      completion_tokens_details: { reasoning_tokens: 150 },
    },
  },
  'openai-responses': {
    usage: {
      input_tokens: 4000,
      output_tokens: 400,
      total_tokens: 4400,
      input_tokens_details: { cached_tokens: 3000 },
      output_tokens_details: { reasoning_tokens: 150 },
    },
  },
  // input_tokens excludes cache reads and writes; thinking is inside output_tokens.
  claude: {
    usage: {
      input_tokens: 1000,
      cache_read_input_tokens: 3000,
      cache_creation_input_tokens: 0,
      output_tokens: 400,
    },
  },
  // promptTokenCount includes cachedContentTokenCount; thoughts are reported apart from candidates.
  gemini: {
    usageMetadata: {
      promptTokenCount: 4000,
      cachedContentTokenCount: 3000,
      candidatesTokenCount: 250,
      thoughtsTokenCount: 150,
      totalTokenCount: 4400,
    },
  },
  // Like Claude: inputTokens excludes the cache.
  'bedrock-converse': {
    usage: { inputTokens: 1000, cacheReadInputTokens: 3000, outputTokens: 400, totalTokens: 4400 },
  },
};

const WIRES = Object.keys(SAME_TURN) as UpstreamWireKind[];

function billable(wire: UpstreamWireKind, json: unknown): BillableUsage {
  const result = billableFromWireResponse(wire, json);
  if (result === undefined) throw new Error(`no usage read for ${wire}`);
  return result;
}

describe('billable usage per wire', () => {
  it('normalizes every wire to the same breakdown for the same turn', () => {
    for (const wire of WIRES) {
      const read = billable(wire, SAME_TURN[wire]);
      expect({ wire, ...read }).toMatchObject({
        wire,
        inputTokens: 4000,
        cachedInputTokens: 3000,
        cacheCreationTokens: 0,
        cacheCreation1hTokens: 0,
        outputTokens: 400,
      });
    }
    // Converse has no reasoning count; the others report 150 inside output.
    expect(billable('gemini', SAME_TURN.gemini).reasoningTokens).toBe(150);
    expect(billable('bedrock-converse', SAME_TURN['bedrock-converse']).reasoningTokens).toBe(0);
  });

  it('costs the same on every wire when the prices are equal', () => {
    const price = rule({ model: 'm', input: '3', cached_input: '0.3', output: '15' });
    const costs = WIRES.map((wire) => {
      const result = computeCost(price, billable(wire, SAME_TURN[wire]));
      return result.unpriced ? null : formatUsd(result.totalPicoUsd);
    });
    // 1,000 x $3 + 3,000 x $0.30 + 400 x $15, per 1M tokens.
    expect(costs).toEqual(WIRES.map(() => '0.0099'));
  });

  it('prices cache writes the same from OpenAI-style and Claude-style reports', () => {
    const price = rule({ model: 'm', input: '3', cached_input: '0.3', cache_write_5m: '3.75', output: '15' });
    const openai = billable('openai-chat', {
      usage: {
        prompt_tokens: 4500,
        completion_tokens: 10,
        prompt_tokens_details: { cached_tokens: 3000, cache_write_tokens: 500 },
      },
    });
    const claude = billable('claude', {
      usage: {
        input_tokens: 1000,
        cache_read_input_tokens: 3000,
        cache_creation_input_tokens: 500,
        output_tokens: 10,
      },
    });
    const bedrock = billable('bedrock-converse', {
      usage: { inputTokens: 1000, cacheReadInputTokens: 3000, cacheWriteInputTokens: 500, outputTokens: 10 },
    });
    expect(openai).toEqual(claude);
    expect(bedrock).toEqual(claude);
    const cost = computeCost(price, claude);
    expect(cost.unpriced ? null : formatUsd(cost.totalPicoUsd)).toBe('0.005925');
  });

  it("splits Claude's 1-hour cache writes from the 5-minute ones", () => {
    const json = {
      usage: {
        input_tokens: 50,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 3000,
        cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
        output_tokens: 20,
      },
    };
    expect(claudeCacheWrite1hTokens(json.usage)).toBe(2000);
    const read = billable('claude', json);
    expect(read).toMatchObject({ inputTokens: 3050, cacheCreationTokens: 1000, cacheCreation1hTokens: 2000 });
    const price = rule({ model: 'm', input: '3', output: '15', cache_write_5m: '3.75', cache_write_1h: '6' });
    const cost = computeCost(price, read);
    // 50 x $3 + 1,000 x $3.75 + 2,000 x $6 + 20 x $15, per 1M tokens.
    expect(cost.unpriced ? null : formatUsd(cost.totalPicoUsd)).toBe('0.0162');
  });

  it("converts gproxy's Usage, moving the known 1-hour writes out of cacheCreationTokens", () => {
    const usage = {
      inputTokens: 5000,
      outputTokens: 100,
      cachedInputTokens: 1000,
      cacheCreationTokens: 3000,
      reasoningTokens: 40,
    };
    expect(billableFromUsage(usage)).toEqual({ ...usage, cacheCreation1hTokens: 0, images: 0 });
    expect(billableFromUsage(usage, { cacheCreation1hTokens: 2000, images: 2 })).toEqual({
      ...usage,
      cacheCreationTokens: 1000,
      cacheCreation1hTokens: 2000,
      images: 2,
    });
  });

  it('reads nothing from an answer without usage', () => {
    for (const wire of WIRES) expect(billableFromWireResponse(wire, { id: 'x' })).toBeUndefined();
  });
});
