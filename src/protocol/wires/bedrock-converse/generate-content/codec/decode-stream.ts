/**
 * ConverseStream events to canonical stream events. The aws-bedrock channel hands the stream on as
 * SSE, one event per event-stream frame: `event:` is the frame's event type (`messageStart`,
 * `contentBlockStart`, `contentBlockDelta`, `contentBlockStop`, `messageStop`, `metadata`) or
 * exception type (`throttlingException` …), `data:` its JSON payload.
 *
 * Only tool-use blocks have a `contentBlockStart`: text and reasoning blocks begin with their first
 * delta. The stop reason (`messageStop`) comes before the usage (`metadata`), so the canonical
 * `finish` waits for the usage, or for the end of the stream.
 */
import { GatewayError } from '../../../../../core/errors';
import { tryParseJson } from '../../../../../core/json';
import type { SseEvent } from '../../../../../core/sse';
import type { DecodeResponseContext, StreamDecoder } from '../../../../canonical/codec';
import type { FinishReason } from '../../../../canonical/response';
import type { StreamEvent } from '../../../../canonical/stream-events';
import { asObject, numberAt, objectAt, stringAt, type JsonObject } from '../../../../json-access';
import { errorFromException, isExceptionName } from '../exceptions';
import { decodeStopReason } from './stop-reason';
import { decodeUsage } from './usage';

type BlockKind = 'text' | 'reasoning' | 'tool';

interface BlockState {
  /** Canonical part index. */
  index: number;
  kind: BlockKind;
  open: boolean;
}

export function createConverseStreamDecoder(context: DecodeResponseContext): StreamDecoder {
  const { warnings } = context;
  const blocks = new Map<number, BlockState>();
  let nextIndex = 0;
  let started = false;
  let done = false;
  let stop: FinishReason | undefined;
  let usageSeen = false;

  const ensureStarted = (out: StreamEvent[]): void => {
    if (started) return;
    started = true;
    out.push({ type: 'start', id: '', model: '' });
  };

  const closeOpenParts = (out: StreamEvent[]): void => {
    for (const block of blocks.values()) {
      if (block.open) out.push({ type: 'part-end', index: block.index });
      block.open = false;
    }
  };

  const finish = (out: StreamEvent[]): void => {
    closeOpenParts(out);
    out.push({ type: 'finish', reason: stop ?? 'stop' });
    done = true;
  };

  /** The block at a Converse index, opened with its canonical start event on first sight. */
  const blockAt = (
    wireIndex: number,
    kind: BlockKind,
    out: StreamEvent[],
    redactedData?: string,
  ): BlockState | undefined => {
    const existing = blocks.get(wireIndex);
    if (existing !== undefined) return existing.kind === kind && existing.open ? existing : undefined;
    const block: BlockState = { index: nextIndex++, kind, open: true };
    blocks.set(wireIndex, block);
    if (kind === 'text') out.push({ type: 'text-start', index: block.index });
    else if (kind === 'reasoning') {
      out.push(
        redactedData === undefined
          ? { type: 'reasoning-start', index: block.index }
          : { type: 'reasoning-start', index: block.index, redactedData },
      );
    }
    return block;
  };

  const startBlock = (data: JsonObject, out: StreamEvent[]): void => {
    const wireIndex = numberAt(data, 'contentBlockIndex') ?? blocks.size;
    const toolUse = objectAt(objectAt(data, 'start'), 'toolUse');
    if (!toolUse) {
      warnings.add(
        'unsupported',
        'contentBlockStart',
        `start ${Object.keys(objectAt(data, 'start') ?? {})[0] ?? '(none)'}`,
      );
      return;
    }
    const block: BlockState = { index: nextIndex++, kind: 'tool', open: true };
    blocks.set(wireIndex, block);
    out.push({
      type: 'tool-call-start',
      index: block.index,
      id: stringAt(toolUse, 'toolUseId') ?? '',
      name: stringAt(toolUse, 'name') ?? '',
    });
  };

  const blockDelta = (data: JsonObject, out: StreamEvent[]): void => {
    const wireIndex = numberAt(data, 'contentBlockIndex') ?? 0;
    const delta = objectAt(data, 'delta');
    const text = stringAt(delta, 'text');
    if (text !== undefined) {
      const block = blockAt(wireIndex, 'text', out);
      if (block && text !== '') out.push({ type: 'text-delta', index: block.index, text });
      return;
    }
    const toolUse = objectAt(delta, 'toolUse');
    if (toolUse) {
      const block = blocks.get(wireIndex);
      const input = stringAt(toolUse, 'input') ?? '';
      if (block?.kind !== 'tool') warnings.add('dropped', 'contentBlockDelta.toolUse', 'no toolUse start');
      else if (block.open && input !== '') {
        out.push({ type: 'tool-input-delta', index: block.index, argumentsDelta: input });
      }
      return;
    }
    const reasoning = objectAt(delta, 'reasoningContent');
    if (reasoning) {
      reasoningDelta(wireIndex, reasoning, out);
      return;
    }
    if (objectAt(delta, 'citation')) warnings.add('dropped', 'contentBlockDelta.citation');
  };

  const reasoningDelta = (wireIndex: number, reasoning: JsonObject, out: StreamEvent[]): void => {
    const redacted = stringAt(reasoning, 'redactedContent');
    if (redacted !== undefined) {
      if (blocks.has(wireIndex))
        warnings.add('dropped', 'contentBlockDelta.reasoningContent.redactedContent');
      else blockAt(wireIndex, 'reasoning', out, redacted);
      return;
    }
    const block = blockAt(wireIndex, 'reasoning', out);
    if (!block) return;
    const text = stringAt(reasoning, 'text');
    if (text !== undefined && text !== '') out.push({ type: 'reasoning-delta', index: block.index, text });
    const signature = stringAt(reasoning, 'signature');
    if (signature !== undefined && signature !== '') {
      out.push({ type: 'reasoning-signature', index: block.index, signature });
    }
  };

  const handle = (type: string, data: JsonObject, out: StreamEvent[]): void => {
    switch (type) {
      case 'messageStart':
        ensureStarted(out);
        return;
      case 'contentBlockStart':
        ensureStarted(out);
        startBlock(data, out);
        return;
      case 'contentBlockDelta':
        ensureStarted(out);
        blockDelta(data, out);
        return;
      case 'contentBlockStop': {
        const block = blocks.get(numberAt(data, 'contentBlockIndex') ?? -1);
        if (block?.open) out.push({ type: 'part-end', index: block.index });
        if (block) block.open = false;
        return;
      }
      case 'messageStop':
        ensureStarted(out);
        closeOpenParts(out);
        stop = decodeStopReason(data['stopReason']);
        if (usageSeen) finish(out);
        return;
      case 'metadata': {
        ensureStarted(out);
        const usage = decodeUsage(data['usage']);
        if (usage) out.push({ type: 'usage', usage });
        usageSeen = true;
        if (stop !== undefined) finish(out);
        return;
      }
      default:
        if (isExceptionName(type)) {
          const message = stringAt(data, 'message') ?? stringAt(data, 'Message');
          out.push({ type: 'error', error: errorFromException(type, message) });
          done = true;
        }
      // Event types newer than this decoder are skipped.
    }
  };

  return {
    push(event: SseEvent): StreamEvent[] {
      if (done) return [];
      const parsed = tryParseJson(event.data);
      const data = (parsed.ok ? asObject(parsed.value) : undefined) ?? {};
      const out: StreamEvent[] = [];
      handle(event.event ?? '', data, out);
      return out;
    },
    end(): StreamEvent[] {
      if (done) return [];
      const out: StreamEvent[] = [];
      // Everything but the usage arrived: the answer is whole.
      if (stop !== undefined) {
        finish(out);
        return out;
      }
      done = true;
      out.push({
        type: 'error',
        error: new GatewayError(
          'upstream_bad_response',
          'The ConverseStream ended before the message was complete',
        ),
      });
      return out;
    },
  };
}
