/**
 * Counting tokens locally when the upstream reported no usage (a stream cut before its usage
 * event, an upstream that never sends one). A documented approximation (docs/billing.md), not a
 * tokenizer:
 *
 *   input tokens  = ceil(UTF-8 bytes of the request body / 4)
 *   output tokens = ceil(UTF-8 bytes of the text the upstream produced / 4)
 *
 * 4 bytes a token is the middle of what tokenizers read on JSON request bodies and on prose
 * (3 to 5.5; see "The admission estimate"). The produced text is the content of the generated text
 * fields of the upstream's answer (`content`, `text`, `delta`, `arguments`, `partial_json`,
 * `thinking`, `refusal`) as they appear in its JSON, escapes included, found by a scan of the raw
 * bytes as they pass: no JSON parse, no buffering. A field split across two network chunks is
 * missed, so the count can only err low by a few tokens at such edges.
 */
import { utf8ByteLength } from '../core/utf8';
import type { Usage } from '../protocol/usage';

export const LOCAL_BYTES_PER_TOKEN = 4;

// `"key": "value"` with or without spaces (Gemini writes them); escapes stay as written.
const TEXT_FIELD =
  /"(?:content|text|delta|arguments|partial_json|thinking|refusal)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

export class ProducedTextCounter {
  private readonly decoder = new TextDecoder();
  private bytes = 0;

  push(chunk: Uint8Array | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    for (const match of text.matchAll(TEXT_FIELD)) this.bytes += utf8ByteLength(match[1] ?? '');
  }

  /** UTF-8 bytes of produced text seen so far. */
  get producedBytes(): number {
    return this.bytes;
  }
}

export function tokensFromBytes(bytes: number): number {
  return Math.ceil(Math.max(0, bytes) / LOCAL_BYTES_PER_TOKEN);
}

/** Usage counted locally from the request body size and the produced text. */
export function countedUsage(requestBytes: number, producedBytes: number): Usage {
  return {
    inputTokens: tokensFromBytes(requestBytes),
    outputTokens: tokensFromBytes(producedBytes),
    cachedInputTokens: 0,
    cacheCreationTokens: 0,
    reasoningTokens: 0,
  };
}
