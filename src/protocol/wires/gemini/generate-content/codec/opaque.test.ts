import { describe, expect, it } from 'vitest';
import { SseDecoder } from '../../../../../core/sse';
import type { EncodeResponseContext } from '../../../../canonical/codec';
import { encodeResponseContext } from '../../../../canonical/codec-test-support';
import { isSealed, unseal } from '../../../../canonical/opaque';
import type { OutputPart, ReasoningPart } from '../../../../canonical/parts';
import type { StreamEvent } from '../../../../canonical/stream-events';
import { TransformWarnings } from '../../../../canonical/warnings';
import type { WireKind } from '../../../../operation';
import { SKIP_THOUGHT_SIGNATURE } from './encode-contents';
import { geminiCodec } from './index';

type Part = Record<string, unknown>;

function context(sourceWire: WireKind): EncodeResponseContext {
  return encodeResponseContext({ sourceWire, model: 'gemini-2.5-pro', requestId: 'req_9' });
}

function answerParts(parts: OutputPart[], sourceWire: WireKind): Part[] {
  const body = geminiCodec.encodeResponse(
    { id: 'msg_1', model: 'x', parts, finishReason: 'stop' },
    context(sourceWire),
  );
  return (body['candidates'] as { content: { parts: Part[] } }[])[0]!.content.parts;
}

/** The client's next turn: its question, our answer as it echoes it (one or more model contents), a follow-up. */
function nextTurn(modelContents: Part[][], followUp: Part[] = [{ text: 'go on' }]) {
  const warnings = new TransformWarnings();
  const contents = [
    { role: 'user', parts: [{ text: 'q' }] },
    ...modelContents.map((parts) => ({ role: 'model', parts })),
    { role: 'user', parts: followUp },
  ];
  const request = geminiCodec.decodeRequest({ contents }, { warnings, path: { model: 'gemini-2.5-pro' } });
  return { request, warnings: warnings.list };
}

const claudeThinking: ReasoningPart = {
  type: 'reasoning',
  text: 'Let me think.',
  origin: 'claude',
  signature: 'EqQBCkgIARABGAI',
};
const redacted: ReasoningPart = {
  type: 'reasoning',
  text: '',
  origin: 'claude',
  redactedData: 'EmwKAhgBEgy3va3p',
};
const responsesReasoning: ReasoningPart = {
  type: 'reasoning',
  text: 'Summary.',
  origin: 'openai-responses',
  itemId: 'rs_1',
  encryptedContent: 'gAAAAB',
};

describe('foreign reasoning sealed for Gemini clients', () => {
  it('shows thoughts, seals them on the first functionCall, and restores them in place', () => {
    const parts = answerParts(
      [
        claudeThinking,
        redacted,
        { type: 'text', text: 'Checking.' },
        { type: 'tool-call', id: 'toolu_1', name: 'f', arguments: '{"a":1}' },
        { type: 'tool-call', id: 'toolu_2', name: 'f', arguments: '{"a":2}' },
      ],
      'claude',
    );
    expect(parts.slice(0, 2)).toEqual([{ text: 'Let me think.', thought: true }, { text: 'Checking.' }]);
    expect(parts[2]).toMatchObject({ functionCall: { id: 'toolu_1', name: 'f', args: { a: 1 } } });
    expect(isSealed(parts[2]!['thoughtSignature'])).toBe(true);
    expect(parts[3]).toEqual({ functionCall: { id: 'toolu_2', name: 'f', args: { a: 2 } } });

    const { request } = nextTurn(
      [parts],
      [
        { functionResponse: { id: 'toolu_1', name: 'f', response: { output: '1' } } },
        { functionResponse: { name: 'f', response: { output: '2' } } },
      ],
    );
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      parts: [
        claudeThinking,
        redacted,
        { type: 'text', text: 'Checking.' },
        { type: 'tool-call', id: 'toolu_1', name: 'f', arguments: '{"a":1}' },
        { type: 'tool-call', id: 'toolu_2', name: 'f', arguments: '{"a":2}' },
      ],
    });
    expect(request.messages[2]?.parts.map((p) => p.type === 'tool-result' && p.callId)).toEqual([
      'toolu_1',
      'toolu_2',
    ]);

    // Towards a Gemini upstream the foreign reasoning is dropped and the calls get the placeholder.
    const warnings = new TransformWarnings();
    const upstream = geminiCodec.encodeRequest(request, { warnings, upstreamModel: 'gemini-3-pro-preview' });
    const model = (upstream['contents'] as { parts: Part[] }[])[1]!;
    expect(model.parts).toEqual([
      { text: 'Checking.' },
      { functionCall: { name: 'f', args: { a: 1 } }, thoughtSignature: SKIP_THOUGHT_SIGNATURE },
      { functionCall: { name: 'f', args: { a: 2 } } },
    ]);
    expect(warnings.list.map((w) => w.field)).toContain('messages[].parts[].reasoning');
  });

  it('seals on the last part without calls, or on an empty text part when nothing else carries it', () => {
    const parts = answerParts([responsesReasoning, { type: 'text', text: 'Hello.' }], 'openai-responses');
    expect(parts[0]).toEqual({ text: 'Summary.', thought: true });
    expect(isSealed(parts[1]!['thoughtSignature'])).toBe(true);
    expect(nextTurn([parts]).request.messages[1]?.parts).toEqual([
      responsesReasoning,
      { type: 'text', text: 'Hello.' },
    ]);

    const only = answerParts([redacted], 'claude');
    expect(only).toEqual([{ text: '', thoughtSignature: expect.stringMatching(/^gpx1\./) as unknown }]);
    expect(nextTurn([only]).request.messages[1]?.parts).toEqual([redacted]);
  });

  it('restores reasoning at the start when the client dropped the shown thoughts', () => {
    const parts = answerParts([claudeThinking, { type: 'text', text: 'A.' }], 'claude');
    const withoutThoughts = parts.filter((p) => p['thought'] !== true);
    expect(nextTurn([withoutThoughts]).request.messages[1]?.parts).toEqual([
      claudeThinking,
      { type: 'text', text: 'A.' },
    ]);
  });

  it('shows reasoning without opaque state, and keeps Gemini state native', () => {
    const plain: ReasoningPart = { type: 'reasoning', text: 'hmm', origin: 'openai-chat' };
    expect(answerParts([plain, { type: 'text', text: 'B' }], 'openai-chat')).toEqual([
      { text: 'hmm', thought: true },
      { text: 'B' },
    ]);
    const native: ReasoningPart = { type: 'reasoning', text: 't', origin: 'gemini', signature: 'GSIG' };
    expect(answerParts([native, { type: 'text', text: 'C', thoughtSignature: 'TSIG' }], 'gemini')).toEqual([
      { text: 't', thought: true, thoughtSignature: 'GSIG' },
      { text: 'C', thoughtSignature: 'TSIG' },
    ]);
  });

  it('restores state sealed in a stream that the client recorded chunk by chunk', () => {
    const encoder = geminiCodec.createStreamEncoder({
      ...context('claude'),
      format: 'sse',
      includeUsage: false,
    });
    const events: StreamEvent[] = [
      { type: 'start', id: 'msg_1', model: 'claude' },
      { type: 'reasoning-start', index: 0 },
      { type: 'reasoning-delta', index: 0, text: 'Let me ' },
      { type: 'reasoning-delta', index: 0, text: 'think.' },
      { type: 'reasoning-signature', index: 0, signature: 'EqQBCkgIARABGAI' },
      { type: 'part-end', index: 0 },
      { type: 'reasoning-start', index: 1, redactedData: 'EmwKAhgBEgy3va3p' },
      { type: 'part-end', index: 1 },
      { type: 'tool-call-start', index: 2, id: 'toolu_1', name: 'f' },
      { type: 'tool-input-delta', index: 2, argumentsDelta: '{"a":' },
      { type: 'tool-input-delta', index: 2, argumentsDelta: '1}' },
      { type: 'part-end', index: 2 },
      { type: 'finish', reason: 'tool-calls' },
    ];
    const text = events.map((e) => encoder.push(e)).join('') + encoder.end();
    const sse = new SseDecoder();
    const chunks = [...sse.push(new TextEncoder().encode(text)), ...sse.end()].map(
      (e) => JSON.parse(e.data) as { candidates: { content: { parts: Part[] } }[]; responseId: string },
    );
    expect(chunks.every((c) => c.responseId === 'req_9')).toBe(true);
    const call = chunks
      .map((c) => c.candidates[0]!.content.parts[0]!)
      .find((p) => p['functionCall'] !== undefined);
    expect(call).toMatchObject({ functionCall: { id: 'toolu_1', name: 'f', args: { a: 1 } } });
    expect(unseal(call!['thoughtSignature'] as string)).toEqual({
      t: 'reasoning',
      parts: [claudeThinking, redacted],
    });

    const { request } = nextTurn(
      chunks.map((c) => c.candidates[0]!.content.parts),
      [{ functionResponse: { name: 'f', response: { output: 'ok' } } }],
    );
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      parts: [
        claudeThinking,
        redacted,
        { type: 'tool-call', id: 'toolu_1', name: 'f', arguments: '{"a":1}' },
      ],
    });
  });

  it('drops a damaged sealed value with a warning', () => {
    const { request, warnings } = nextTurn([[{ text: 'x', thoughtSignature: 'gpx1.@@@' }]]);
    expect(request.messages[1]?.parts).toEqual([{ type: 'text', text: 'x' }]);
    expect(warnings).toContainEqual({
      kind: 'dropped',
      field: 'contents[1].parts[0].thoughtSignature',
      detail: 'damaged gproxy state',
    });
  });
});
