import { describe, expect, it } from 'vitest';
import { countedUsage, ProducedTextCounter } from './local-count';

describe('ProducedTextCounter', () => {
  it('counts the generated text fields of every wire, as UTF-8 bytes, across chunks', () => {
    const counter = new ProducedTextCounter();
    const encoder = new TextEncoder();
    counter.push(encoder.encode('data: {"choices":[{"delta":{"content":"abcd"}}]}\n\n'));
    counter.push('event: content_block_delta\ndata: {"delta":{"type":"text_delta","text":"日本"}}\n\n');
    counter.push('data: {"type":"response.output_text.delta","delta":"xy"}\n\n');
    counter.push('{"candidates": [{"content": {"parts": [{"text": "z"}]}}]}');
    counter.push('{"function":{"arguments":"{\\"a\\":1}"}}');
    // 4 + 6 (two 3-byte characters) + 2 + 1 + 9 (escaped JSON text as written)
    expect(counter.producedBytes).toBe(22);
  });

  it('ignores ids, models and roles', () => {
    const counter = new ProducedTextCounter();
    counter.push('{"id":"chatcmpl-1","model":"gpt","role":"assistant","type":"message"}');
    expect(counter.producedBytes).toBe(0);
  });
});

describe('countedUsage', () => {
  it('is 4 bytes a token, rounded up, with no cache or reasoning parts', () => {
    expect(countedUsage(9, 4)).toEqual({
      inputTokens: 3,
      outputTokens: 1,
      cachedInputTokens: 0,
      cacheCreationTokens: 0,
      reasoningTokens: 0,
    });
  });
});
