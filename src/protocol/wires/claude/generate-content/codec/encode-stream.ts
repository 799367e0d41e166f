/**
 * Canonical stream events as a Claude Messages stream: message_start, content blocks
 * (start/delta/stop), message_delta with the stop reason and usage, message_stop. Nothing is held
 * back except a Gemini tool call's start until its thoughtSignature is known, since the sealed
 * thinking block carrying it must come before the tool_use block.
 */
import { encodeSseEvent } from '../../../../../core/sse';
import type { EncodeStreamContext, StreamEncoder } from '../../../../canonical/codec';
import type { ReasoningPart } from '../../../../canonical/parts';
import type { StreamEvent } from '../../../../canonical/stream-events';
import { encodeClaudeStreamError } from '../../../../error-envelopes';
import type { JsonObject } from '../../../../json-access';
import type { Usage } from '../../../../usage';
import { claudeMessageId, sealReasoning, sealToolSignature } from './client-opaque';
import { encodeUsage } from './encode-usage';
import { encodeStopReason } from './stop-reason';

type PartState =
  | { kind: 'text' | 'thinking' | 'redacted' | 'tool'; block: number }
  /** Another provider's reasoning: its text streams live, its opaque state is sealed at the end. */
  | { kind: 'sealed-reasoning'; block: number; part: ReasoningPart }
  | { kind: 'held-tool'; id: string; name: string };

function sse(payload: JsonObject & { type: string }): string {
  return encodeSseEvent(JSON.stringify(payload), payload.type);
}

export function createClaudeStreamEncoder(context: EncodeStreamContext): StreamEncoder {
  const { warnings, sourceWire } = context;
  const parts = new Map<number, PartState>();
  /** Sealed Gemini signatures that arrived after their tool_use block had started. */
  const lateToolSignatures = new Map<number, { id: string; signature: string }>();
  const toolIds = new Map<number, string>();
  const usage: Partial<Usage> = {};
  let started = false;
  let done = false;
  let nextBlock = 0;

  const messageStart = (id: string): string => {
    started = true;
    const message = {
      id: claudeMessageId(id, context.requestId),
      type: 'message',
      role: 'assistant',
      model: context.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: encodeUsage(usage),
    };
    return sse({ type: 'message_start', message });
  };

  const openBlock = (contentBlock: JsonObject): { block: number; text: string } => {
    const block = nextBlock++;
    return { block, text: sse({ type: 'content_block_start', index: block, content_block: contentBlock }) };
  };

  const delta = (block: number, payload: JsonObject): string =>
    sse({ type: 'content_block_delta', index: block, delta: payload });

  const stop = (block: number): string => sse({ type: 'content_block_stop', index: block });

  /** A whole thinking block holding one sealed signature. */
  const sealedBlock = (signature: string): string => {
    const opened = openBlock({ type: 'thinking', thinking: '', signature: '' });
    return opened.text + delta(opened.block, { type: 'signature_delta', signature }) + stop(opened.block);
  };

  const startTool = (index: number, id: string, name: string, signature?: string): string => {
    const before = signature === undefined ? '' : sealedBlock(sealToolSignature(id, signature));
    const opened = openBlock({ type: 'tool_use', id, name, input: {} });
    parts.set(index, { kind: 'tool', block: opened.block });
    return before + opened.text;
  };

  const flushHeld = (except?: number): string => {
    let out = '';
    for (const [index, state] of parts) {
      if (state.kind === 'held-tool' && index !== except) out += startTool(index, state.id, state.name);
    }
    return out;
  };

  const endPart = (index: number): string => {
    const state = parts.get(index);
    if (!state || state.kind === 'held-tool') return '';
    parts.delete(index);
    let out = '';
    if (state.kind === 'sealed-reasoning') {
      out += delta(state.block, {
        type: 'signature_delta',
        signature: sealReasoning(state.part, sourceWire),
      });
    }
    out += stop(state.block);
    const late = lateToolSignatures.get(index);
    if (late) {
      lateToolSignatures.delete(index);
      out += sealedBlock(sealToolSignature(late.id, late.signature));
    }
    return out;
  };

  const blockOf = (index: number): number | undefined => {
    const state = parts.get(index);
    return state && state.kind !== 'held-tool' ? state.block : undefined;
  };

  const handle = (event: StreamEvent): string => {
    switch (event.type) {
      case 'start':
        return started ? '' : messageStart(event.id);
      case 'text-start': {
        const opened = openBlock({ type: 'text', text: '' });
        parts.set(event.index, { kind: 'text', block: opened.block });
        return opened.text;
      }
      case 'text-delta': {
        const block = blockOf(event.index);
        return block === undefined || event.text === ''
          ? ''
          : delta(block, { type: 'text_delta', text: event.text });
      }
      case 'reasoning-start':
        return startReasoning(event);
      case 'reasoning-delta': {
        const state = parts.get(event.index);
        if (state?.kind === 'sealed-reasoning') state.part.text += event.text;
        const block = blockOf(event.index);
        return block === undefined || event.text === ''
          ? ''
          : delta(block, { type: 'thinking_delta', thinking: event.text });
      }
      case 'reasoning-signature': {
        const state = parts.get(event.index);
        if (state?.kind === 'sealed-reasoning') {
          if (event.signature !== undefined) state.part.signature = event.signature;
          if (event.encryptedContent !== undefined) state.part.encryptedContent = event.encryptedContent;
          return '';
        }
        if (state?.kind !== 'thinking' || event.signature === undefined) return '';
        return delta(state.block, { type: 'signature_delta', signature: event.signature });
      }
      case 'thought-signature':
        return thoughtSignature(event.index, event.signature);
      case 'tool-call-start':
        toolIds.set(event.index, event.id);
        // Gemini may sign the call after its start: wait for the next event to know.
        if (sourceWire === 'gemini') {
          parts.set(event.index, { kind: 'held-tool', id: event.id, name: event.name });
          return '';
        }
        return startTool(event.index, event.id, event.name);
      case 'tool-input-delta': {
        const block = blockOf(event.index);
        if (block === undefined || event.argumentsDelta === '') return '';
        return delta(block, { type: 'input_json_delta', partial_json: event.argumentsDelta });
      }
      case 'part-end':
        return endPart(event.index);
      case 'usage':
        Object.assign(usage, event.usage);
        return '';
      case 'finish':
        return finish(event.reason, event.stopSequence);
      case 'error':
        done = true;
        return encodeClaudeStreamError(event.error, context.requestId);
    }
  };

  const startReasoning = (event: Extract<StreamEvent, { type: 'reasoning-start' }>): string => {
    if (sourceWire === 'claude') {
      const redacted = event.redactedData !== undefined;
      const opened = openBlock(
        redacted
          ? { type: 'redacted_thinking', data: event.redactedData }
          : { type: 'thinking', thinking: '', signature: '' },
      );
      parts.set(event.index, { kind: redacted ? 'redacted' : 'thinking', block: opened.block });
      return opened.text;
    }
    const part: ReasoningPart = { type: 'reasoning', text: '', origin: sourceWire };
    if (event.itemId !== undefined) part.itemId = event.itemId;
    if (event.redactedData !== undefined) part.redactedData = event.redactedData;
    const opened = openBlock({ type: 'thinking', thinking: '', signature: '' });
    parts.set(event.index, { kind: 'sealed-reasoning', block: opened.block, part });
    return opened.text;
  };

  const thoughtSignature = (index: number, signature: string): string => {
    const state = parts.get(index);
    if (state?.kind === 'held-tool') return startTool(index, state.id, state.name, signature);
    if (state?.kind === 'sealed-reasoning') {
      state.part.signature = signature;
      return '';
    }
    if (state?.kind === 'tool') {
      lateToolSignatures.set(index, { id: toolIds.get(index) ?? '', signature });
      return '';
    }
    warnings.add('dropped', 'content.thoughtSignature');
    return '';
  };

  const finish = (
    reason: Parameters<typeof encodeStopReason>[0],
    stopSequence: string | undefined,
  ): string => {
    let out = flushHeld();
    for (const index of [...parts.keys()]) out += endPart(index);
    const encoded = encodeStopReason(reason, stopSequence, warnings);
    out += sse({ type: 'message_delta', delta: encoded, usage: encodeUsage(usage, warnings) });
    out += sse({ type: 'message_stop' });
    done = true;
    return out;
  };

  return {
    push(event: StreamEvent): string {
      if (done) return '';
      let out = '';
      if (!started && event.type !== 'start' && event.type !== 'error') out += messageStart('');
      // A held tool start waits for a thoughtSignature of its own, nothing else.
      const keep = event.type === 'thought-signature' ? event.index : undefined;
      if (event.type !== 'start') out += flushHeld(keep);
      return out + handle(event);
    },
    end(): string {
      return '';
    },
  };
}
