import { describe, expect, it } from 'vitest';
import { asksForStreamUsage, stripStreamUsage, withStreamUsage } from './stream-usage-option';

async function collect(chunks: string[]): Promise<string> {
  const encoder = new TextEncoder();
  async function* source(): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks) {
      await Promise.resolve();
      yield encoder.encode(chunk);
    }
  }
  let out = '';
  const decoder = new TextDecoder();
  for await (const chunk of stripStreamUsage(source())) out += decoder.decode(chunk, { stream: true });
  return out;
}

describe('withStreamUsage', () => {
  it('adds stream_options to a body without it, leaving the rest byte for byte', () => {
    const text = '{"model":"m",  "stream":true}';
    expect(withStreamUsage(text, JSON.parse(text))).toBe(
      '{"stream_options":{"include_usage":true},"model":"m",  "stream":true}',
    );
    expect(withStreamUsage('{}', {})).toBe('{"stream_options":{"include_usage":true}}');
  });

  it('sets include_usage in the client stream_options, keeping its other fields', () => {
    const text = '{"stream":true,"stream_options":{"include_usage":false,"x":1},"model":"m"}';
    const out = withStreamUsage(text, JSON.parse(text));
    expect(JSON.parse(out)).toEqual({
      stream: true,
      stream_options: { include_usage: true, x: 1 },
      model: 'm',
    });
    expect(asksForStreamUsage(JSON.parse(text))).toBe(false);
    expect(asksForStreamUsage(JSON.parse(out))).toBe(true);
  });
});

describe('stripStreamUsage', () => {
  const chunk = '{"id":"c","choices":[{"index":0,"delta":{"content":"hi \\"usage\\":{"}}],"usage":null}';
  const usage = '{"id":"c","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}}';

  it('drops the usage-only chunk and the usage:null members, whatever the chunk boundaries', async () => {
    const stream = `data: ${chunk}\n\ndata: ${usage}\n\ndata: [DONE]\n\n`;
    const expected = `data: ${chunk.replace(',"usage":null', '')}\n\ndata: [DONE]\n\n`;
    expect(await collect([stream])).toBe(expected);
    const pieces = stream.match(/[\s\S]{1,7}/g) ?? [];
    expect(await collect(pieces)).toBe(expected);
  });

  it('passes a stream without usage through unchanged, CRLF included', async () => {
    const stream = 'data: {"choices":[{"delta":{"content":"a"}}]}\r\n\r\ndata: [DONE]\r\n\r\n';
    expect(await collect([stream])).toBe(stream);
    expect(await collect(['data: {"choices":[]}'])).toBe('data: {"choices":[]}');
  });
});
