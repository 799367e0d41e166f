import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../../core/errors';
import { aggregateStream } from '../../../../canonical/aggregate';
import { decodeSseTextWarned, warningFields as fields } from '../../../../canonical/codec-test-support';
import { openAiChatCodec } from './index';

const fixtureText = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8');

const bytes = new TextEncoder();

/** Feeds the stream's bytes cut at `cuts` through the SSE decoder and this wire's stream decoder. */
function decodeStream(text: string, cuts: number[] = []) {
  return decodeSseTextWarned(openAiChatCodec, text, cuts);
}

const STREAMS = [
  'stream.sse',
  'stream-tool-calls.sse',
  'stream-reasoning.sse',
  'stream-refusal.sse',
  'stream-error.sse',
];

describe('openAiChatCodec stream decoder', () => {
  it('decodes plain text deltas, usage after the finish chunk, and finishes on [DONE]', () => {
    const { events } = decodeStream(fixtureText('stream.sse'));
    expect(events).toEqual([
      { type: 'start', id: 'chatcmpl-123', model: 'gpt-4o-mini', created: 1694268190 },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, text: 'Les' },
      { type: 'text-delta', index: 0, text: ' fleurs' },
      { type: 'text-delta', index: 0, text: ' 🌸' },
      { type: 'text-delta', index: 0, text: ' sont' },
      { type: 'text-delta', index: 0, text: ' "belles"' },
      { type: 'text-delta', index: 0, text: '.' },
      { type: 'part-end', index: 0 },
      {
        type: 'usage',
        usage: {
          inputTokens: 19,
          outputTokens: 6,
          cachedInputTokens: 0,
          cacheCreationTokens: 0,
          reasoningTokens: 0,
        },
      },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('decodes streamed parallel tool calls, id and name from the first delta of each', () => {
    const { events } = decodeStream(fixtureText('stream-tool-calls.sse'));
    expect(events).toEqual([
      { type: 'start', id: 'chatcmpl-BXs8ToolStream01', model: 'gpt-4.1-2025-04-14', created: 1747300100 },
      { type: 'tool-call-start', index: 0, id: 'call_paris', name: 'get_weather' },
      { type: 'tool-input-delta', index: 0, argumentsDelta: '{"' },
      { type: 'tool-input-delta', index: 0, argumentsDelta: 'city' },
      { type: 'tool-input-delta', index: 0, argumentsDelta: '":"' },
      { type: 'tool-input-delta', index: 0, argumentsDelta: 'Paris' },
      { type: 'tool-input-delta', index: 0, argumentsDelta: '"}' },
      { type: 'part-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'call_tokyo', name: 'get_weather' },
      { type: 'tool-input-delta', index: 1, argumentsDelta: '{"city":' },
      { type: 'tool-input-delta', index: 1, argumentsDelta: '"Tōkyō 東京"}' },
      { type: 'part-end', index: 1 },
      {
        type: 'usage',
        usage: {
          inputTokens: 82,
          outputTokens: 47,
          cachedInputTokens: 64,
          cacheCreationTokens: 0,
          reasoningTokens: 0,
        },
      },
      { type: 'finish', reason: 'tool-calls' },
    ]);
  });

  it('decodes reasoning_content deltas as a reasoning part before the text (CRLF stream, usage on the finish chunk)', () => {
    const { events } = decodeStream(fixtureText('stream-reasoning.sse'));
    expect(events).toEqual([
      { type: 'start', id: '5f0c9a1e-reasoning', model: 'deepseek-reasoner', created: 1747300100 },
      { type: 'reasoning-start', index: 0 },
      { type: 'reasoning-delta', index: 0, text: 'The user ' },
      { type: 'reasoning-delta', index: 0, text: 'wants three ' },
      { type: 'reasoning-delta', index: 0, text: 'colors 🎨.' },
      { type: 'part-end', index: 0 },
      { type: 'text-start', index: 1 },
      { type: 'text-delta', index: 1, text: '{"colors":' },
      { type: 'text-delta', index: 1, text: '["red","green","blue"]}' },
      { type: 'part-end', index: 1 },
      {
        type: 'usage',
        usage: {
          inputTokens: 1200,
          outputTokens: 340,
          cachedInputTokens: 1024,
          cacheCreationTokens: 0,
          reasoningTokens: 300,
        },
      },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('decodes a streamed refusal as text, finishing with refusal, with a warning', () => {
    const { events, warnings } = decodeStream(fixtureText('stream-refusal.sse'));
    expect(aggregateStream(events)).toMatchObject({
      parts: [{ type: 'text', text: "I'm sorry, I cannot assist with that request." }],
      finishReason: 'refusal',
    });
    expect(fields(warnings)).toEqual(['approximated:choices[0].delta.refusal']);
  });

  it('turns an error data event into a canonical error and ignores what follows', () => {
    const text =
      fixtureText('stream-error.sse') + 'data: {"choices":[{"index":0,"delta":{"content":"x"}}]}\n\n';
    const { events } = decodeStream(text);
    expect(events.slice(0, -1)).toEqual([
      { type: 'start', id: 'chatcmpl-ErrStream01', model: 'gpt-4o-mini', created: 1747300100 },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, text: 'Once upon' },
      { type: 'text-delta', index: 0, text: ' a time' },
    ]);
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    const error = (last as { error: GatewayError }).error;
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.code).toBe('upstream_error');
    expect(error.message).toBe('The server had an error while processing your request. Sorry about that!');
  });

  it('reports a stream cut before its finish as an error', () => {
    const text = fixtureText('stream.sse');
    const { events } = decodeStream(
      text.slice(
        0,
        text.indexOf(
          'data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{},',
        ),
      ),
    );
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    expect((last as { error: GatewayError }).error.code).toBe('upstream_bad_response');
  });

  it('finishes at the end of a stream that had its finish_reason but no [DONE]', () => {
    const text = fixtureText('stream.sse').replace('data: [DONE]\n\n', '');
    expect(decodeStream(text).events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('waits for the name of a tool call and follows calls without index by id', () => {
    const chunk = (delta: unknown, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'c', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const text =
      chunk({ tool_calls: [{ id: 'a', function: { arguments: '{"x"' } }] }) +
      chunk({ tool_calls: [{ id: 'a', function: { name: 'f', arguments: ':1}' } }] }) +
      chunk({ tool_calls: [{ id: 'b', function: { name: 'g', arguments: '{}' } }] }) +
      chunk({}, 'stop') +
      'data: [DONE]\n\n';
    expect(decodeStream(text).events).toEqual([
      { type: 'start', id: 'c', model: 'm' },
      { type: 'tool-call-start', index: 0, id: 'a', name: 'f' },
      { type: 'tool-input-delta', index: 0, argumentsDelta: '{"x":1}' },
      { type: 'part-end', index: 0 },
      { type: 'tool-call-start', index: 1, id: 'b', name: 'g' },
      { type: 'tool-input-delta', index: 1, argumentsDelta: '{}' },
      { type: 'part-end', index: 1 },
      // `stop` after tool calls, as some compatible upstreams send it.
      { type: 'finish', reason: 'tool-calls' },
    ]);
  });

  it('drops, with a warning, arguments that come for a call after another part started', () => {
    const chunk = (delta: unknown) =>
      `data: ${JSON.stringify({ id: 'c', model: 'm', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
    const text =
      chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '{' } }] }) +
      chunk({ content: 'text' }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: '}' } }] }) +
      'data: [DONE]\n\n';
    const { events, warnings } = decodeStream(text);
    expect(events.filter((e) => e.type === 'tool-input-delta')).toEqual([
      { type: 'tool-input-delta', index: 0, argumentsDelta: '{' },
    ]);
    expect(fields(warnings)).toEqual(['dropped:choices[0].delta.tool_calls.function.arguments']);
  });

  it('skips an Azure prompt-filter chunk and warns about choices other than the first', () => {
    const text =
      'data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[]}\n\n' +
      'data: {"id":"c","model":"m","choices":[{"index":1,"delta":{"content":"no"}},{"index":0,"delta":{"content":"yes"},"finish_reason":"stop"}]}\n\n' +
      'data: [DONE]\n\n';
    const { events, warnings } = decodeStream(text);
    expect(events).toEqual([
      { type: 'start', id: 'c', model: 'm' },
      { type: 'text-start', index: 0 },
      { type: 'text-delta', index: 0, text: 'yes' },
      { type: 'part-end', index: 0 },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(fields(warnings)).toEqual(['dropped:choices[1]']);
  });

  it.each(STREAMS)('gives the same events for %s cut at every byte', (name) => {
    const text = fixtureText(name);
    const whole = decodeStream(text).events;
    const length = bytes.encode(text).length;
    for (let cut = 1; cut < length; cut++) {
      expect(decodeStream(text, [cut]).events).toEqual(whole);
    }
    expect(
      decodeStream(
        text,
        Array.from({ length: length - 1 }, (_, i) => i + 1),
      ).events,
    ).toEqual(whole);
  });
});
