/**
 * Canonical stream events as a ConverseStream, in the SSE form the aws-bedrock channel hands on
 * (one event per event-stream frame, named after its event type). Production never streams
 * Converse to a client (decision 0009); this builds the upstream's side for tests and fakes.
 */
import { encodeSseEvent } from '../../../../../core/sse';
import type { EncodeStreamContext, StreamEncoder } from '../../../../canonical/codec';
import type { StreamEvent } from '../../../../canonical/stream-events';
import type { JsonObject } from '../../../../json-access';
import type { Usage } from '../../../../usage';
import { exceptionNameFor } from '../exceptions';
import { encodeStopReason } from './stop-reason';
import { encodeUsage } from './usage';

function frame(type: string, payload: JsonObject): string {
  return encodeSseEvent(JSON.stringify(payload), type);
}

export function createConverseStreamEncoder(context: EncodeStreamContext): StreamEncoder {
  const { warnings } = context;
  /** Canonical part index → Converse content block index, for the parts still open. */
  const blocks = new Map<number, number>();
  let nextBlock = 0;
  let started = false;
  let done = false;
  let usage: Partial<Usage> | undefined;

  const delta = (index: number, payload: JsonObject): string => {
    const block = blocks.get(index);
    return block === undefined
      ? ''
      : frame('contentBlockDelta', { contentBlockIndex: block, delta: payload });
  };

  const open = (index: number): number => {
    const block = nextBlock++;
    blocks.set(index, block);
    return block;
  };

  const close = (index: number): string => {
    const block = blocks.get(index);
    if (block === undefined) return '';
    blocks.delete(index);
    return frame('contentBlockStop', { contentBlockIndex: block });
  };

  const handle = (event: StreamEvent): string => {
    switch (event.type) {
      case 'start':
        return '';
      case 'text-start':
        open(event.index);
        return '';
      case 'text-delta':
        return event.text === '' ? '' : delta(event.index, { text: event.text });
      case 'reasoning-start':
        open(event.index);
        return event.redactedData === undefined
          ? ''
          : delta(event.index, { reasoningContent: { redactedContent: event.redactedData } });
      case 'reasoning-delta':
        return event.text === '' ? '' : delta(event.index, { reasoningContent: { text: event.text } });
      case 'reasoning-signature':
        if (event.encryptedContent !== undefined)
          warnings.add('dropped', 'reasoningContent.encryptedContent');
        return event.signature === undefined
          ? ''
          : delta(event.index, { reasoningContent: { signature: event.signature } });
      case 'tool-call-start': {
        const block = open(event.index);
        return frame('contentBlockStart', {
          contentBlockIndex: block,
          start: { toolUse: { toolUseId: event.id, name: event.name } },
        });
      }
      case 'tool-input-delta':
        return event.argumentsDelta === ''
          ? ''
          : delta(event.index, { toolUse: { input: event.argumentsDelta } });
      case 'thought-signature':
        warnings.add('dropped', 'content.thoughtSignature');
        return '';
      case 'part-end':
        return close(event.index);
      case 'usage':
        usage = { ...usage, ...event.usage };
        return '';
      case 'finish': {
        let out = '';
        for (const index of [...blocks.keys()]) out += close(index);
        out += frame('messageStop', {
          stopReason: encodeStopReason(event.reason, event.stopSequence, warnings),
        });
        out += frame('metadata', { usage: encodeUsage(usage, warnings), metrics: { latencyMs: 0 } });
        done = true;
        return out;
      }
      case 'error':
        done = true;
        return frame(exceptionNameFor(event.error), { message: event.error.message });
    }
  };

  return {
    push(event: StreamEvent): string {
      if (done) return '';
      let out = '';
      if (!started && event.type !== 'error') {
        started = true;
        out += frame('messageStart', { role: 'assistant' });
      }
      return out + handle(event);
    },
    end(): string {
      return '';
    },
  };
}
