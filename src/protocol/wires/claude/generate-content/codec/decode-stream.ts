/**
 * Claude Messages stream events to canonical stream events. Claude numbers its content blocks;
 * blocks the canonical model cannot hold (server tools) are skipped, so canonical part indices
 * are kept apart from Claude's block indices.
 */
import { GatewayError } from '../../../../../core/errors';
import type { SseEvent } from '../../../../../core/sse';
import { tryParseJson } from '../../../../../core/json';
import type { DecodeResponseContext, StreamDecoder } from '../../../../canonical/codec';
import type { StreamEvent } from '../../../../canonical/stream-events';
import { asObject, numberAt, objectAt, stringAt } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { emptyCounts, mergeCounts, normalizeClaudeCounts } from '../usage';
import { decodeStopReason } from './stop-reason';
import type { DecodedStop } from './stop-reason';

interface BlockState {
  /** Canonical part index, or undefined for a skipped block. */
  index: number | undefined;
  open: boolean;
}

export function createClaudeStreamDecoder(context: DecodeResponseContext): StreamDecoder {
  const { warnings } = context;
  const blocks = new Map<number, BlockState>();
  const counts = emptyCounts();
  let nextIndex = 0;
  let started = false;
  let done = false;
  let stop: DecodedStop | undefined;

  const ensureStarted = (out: StreamEvent[], id = '', model = ''): void => {
    if (started) return;
    started = true;
    out.push({ type: 'start', id, model });
  };

  const takeUsage = (usage: JsonObject | undefined, out: StreamEvent[]): void => {
    if (!usage) return;
    mergeCounts(counts, usage);
    out.push({ type: 'usage', usage: normalizeClaudeCounts(counts) });
  };

  const closeOpenParts = (out: StreamEvent[]): void => {
    for (const block of blocks.values()) {
      if (block.open && block.index !== undefined) out.push({ type: 'part-end', index: block.index });
      block.open = false;
    }
  };

  const finish = (out: StreamEvent[]): void => {
    closeOpenParts(out);
    const reason = stop?.reason ?? 'stop';
    out.push(
      stop?.stopSequence === undefined
        ? { type: 'finish', reason }
        : { type: 'finish', reason, stopSequence: stop.stopSequence },
    );
    done = true;
  };

  const startBlock = (data: JsonObject, out: StreamEvent[]): void => {
    const wireIndex = numberAt(data, 'index') ?? blocks.size;
    const block = objectAt(data, 'content_block');
    const type = stringAt(block, 'type');
    if (type !== 'text' && type !== 'thinking' && type !== 'redacted_thinking' && type !== 'tool_use') {
      warnings.add('unsupported', 'content_block', `content block type ${type ?? '(none)'}`);
      blocks.set(wireIndex, { index: undefined, open: false });
      return;
    }
    const index = nextIndex++;
    blocks.set(wireIndex, { index, open: true });
    if (type === 'text') {
      out.push({ type: 'text-start', index });
      const text = stringAt(block, 'text') ?? '';
      if (text !== '') out.push({ type: 'text-delta', index, text });
    } else if (type === 'redacted_thinking') {
      out.push({ type: 'reasoning-start', index, redactedData: stringAt(block, 'data') ?? '' });
    } else if (type === 'thinking') {
      out.push({ type: 'reasoning-start', index });
      const text = stringAt(block, 'thinking') ?? '';
      if (text !== '') out.push({ type: 'reasoning-delta', index, text });
      const signature = stringAt(block, 'signature') ?? '';
      if (signature !== '') out.push({ type: 'reasoning-signature', index, signature });
    } else {
      out.push({
        type: 'tool-call-start',
        index,
        id: stringAt(block, 'id') ?? '',
        name: stringAt(block, 'name') ?? '',
      });
      // Claude starts tool_use with `input: {}` and streams the JSON; some compatible servers send it whole.
      const input = asObject(block?.['input']);
      if (input && Object.keys(input).length > 0) {
        out.push({ type: 'tool-input-delta', index, argumentsDelta: JSON.stringify(input) });
      }
    }
  };

  const blockDelta = (data: JsonObject, out: StreamEvent[]): void => {
    const index = blocks.get(numberAt(data, 'index') ?? -1)?.index;
    if (index === undefined) return;
    const delta = objectAt(data, 'delta');
    switch (stringAt(delta, 'type')) {
      case 'text_delta':
        out.push({ type: 'text-delta', index, text: stringAt(delta, 'text') ?? '' });
        break;
      case 'input_json_delta': {
        const partial = stringAt(delta, 'partial_json') ?? '';
        if (partial !== '') out.push({ type: 'tool-input-delta', index, argumentsDelta: partial });
        break;
      }
      case 'thinking_delta':
        out.push({ type: 'reasoning-delta', index, text: stringAt(delta, 'thinking') ?? '' });
        break;
      case 'signature_delta':
        out.push({ type: 'reasoning-signature', index, signature: stringAt(delta, 'signature') ?? '' });
        break;
      case 'citations_delta':
        warnings.add('dropped', 'content_block_delta.citation');
        break;
    }
  };

  const handle = (data: JsonObject, type: string | undefined, out: StreamEvent[]): void => {
    switch (type) {
      case 'message_start': {
        const message = objectAt(data, 'message');
        ensureStarted(out, stringAt(message, 'id'), stringAt(message, 'model'));
        takeUsage(objectAt(message, 'usage'), out);
        return;
      }
      case 'content_block_start':
        ensureStarted(out);
        startBlock(data, out);
        return;
      case 'content_block_delta':
        blockDelta(data, out);
        return;
      case 'content_block_stop': {
        const block = blocks.get(numberAt(data, 'index') ?? -1);
        if (block?.open && block.index !== undefined) out.push({ type: 'part-end', index: block.index });
        if (block) block.open = false;
        return;
      }
      case 'message_delta': {
        ensureStarted(out);
        const delta = objectAt(data, 'delta');
        if (typeof delta?.['stop_reason'] === 'string')
          stop = decodeStopReason(delta['stop_reason'], delta['stop_sequence']);
        takeUsage(objectAt(data, 'usage'), out);
        return;
      }
      case 'message_stop':
        ensureStarted(out);
        finish(out);
        return;
      case 'error': {
        const message = stringAt(objectAt(data, 'error'), 'message') ?? 'Upstream stream error';
        out.push({ type: 'error', error: new GatewayError('upstream_error', message, { cause: data }) });
        done = true;
        return;
      }
      default:
        // ping, and event types newer than this decoder.
        return;
    }
  };

  return {
    push(event: SseEvent): StreamEvent[] {
      if (done) return [];
      const parsed = tryParseJson(event.data);
      const data = parsed.ok ? asObject(parsed.value) : undefined;
      if (!data) return [];
      const out: StreamEvent[] = [];
      handle(data, stringAt(data, 'type') ?? event.event, out);
      return out;
    },
    end(): StreamEvent[] {
      if (done) return [];
      const out: StreamEvent[] = [];
      // Everything but message_stop arrived: the answer is whole, only its last event is missing.
      if (started && stop !== undefined) {
        finish(out);
        return out;
      }
      done = true;
      out.push({
        type: 'error',
        error: new GatewayError(
          'upstream_bad_response',
          'The Claude stream ended before the message was complete',
        ),
      });
      return out;
    },
  };
}
