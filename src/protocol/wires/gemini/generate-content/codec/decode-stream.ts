/**
 * Gemini SSE chunks (`data: {GenerateContentResponse}`) -> canonical stream events. Text arriving
 * over several chunks continues one canonical part until a part of another kind arrives; a
 * functionCall always arrives whole. The finish is held until the stream ends, because a chunk with
 * only usage may still follow the one that carries `finishReason`.
 */
import { GatewayError } from '../../../../../core/errors';
import type { SseEvent } from '../../../../../core/sse';
import type { DecodeResponseContext, StreamDecoder } from '../../../../canonical/codec';
import type { FinishReason } from '../../../../canonical/response';
import type { StreamEvent } from '../../../../canonical/stream-events';
import { asObject } from '../../../../json-access';
import type { JsonObject } from '../../../../json-access';
import { geminiUsageFromResponse } from '../usage';
import { upstreamError, finishOf } from './decode-response';
import { arrayField, objectField, stringField } from './fields';
import { decodeOutputPart } from './output-parts';
import { callIdScope } from './tool-args';

interface OpenPart {
  kind: 'text' | 'reasoning';
  index: number;
  /** Whether a signature was already attached: a second one starts a new part. */
  signed: boolean;
}

export function createStreamDecoder(context: DecodeResponseContext): StreamDecoder {
  const { warnings } = context;
  let started = false;
  let done = false;
  let scope: string | undefined;
  let open: OpenPart | undefined;
  let nextIndex = 0;
  let hasToolCalls = false;
  let finish: FinishReason | undefined;
  /** Wire part index across the answer, for warning paths. */
  let wireIndex = 0;

  function close(out: StreamEvent[]): void {
    if (open) out.push({ type: 'part-end', index: open.index });
    open = undefined;
  }

  function continueOrOpen(
    kind: OpenPart['kind'],
    signature: string | undefined,
    out: StreamEvent[],
  ): OpenPart {
    if (open && (open.kind !== kind || (signature !== undefined && open.signed))) close(out);
    if (open === undefined) {
      open = { kind, index: nextIndex++, signed: false };
      out.push({ type: kind === 'text' ? 'text-start' : 'reasoning-start', index: open.index });
    }
    return open;
  }

  function take(chunk: JsonObject, out: StreamEvent[]): void {
    if (!started) {
      started = true;
      out.push({
        type: 'start',
        id: stringField(chunk, 'responseId') ?? '',
        model: stringField(chunk, 'modelVersion') ?? '',
      });
    }
    scope ??= callIdScope(stringField(chunk, 'responseId') ?? '');
    const candidate = asObject(arrayField(chunk, 'candidates')?.[0]);
    for (const item of arrayField(objectField(candidate, 'content'), 'parts') ?? []) {
      const wire = asObject(item);
      if (wire === undefined) continue;
      const path = `candidates[0].content.parts[${wireIndex++}]`;
      const part = decodeOutputPart(wire, nextIndex, scope, warnings, path);
      if (part === undefined) continue;
      if (part.type === 'tool-call') {
        close(out);
        const index = nextIndex++;
        hasToolCalls = true;
        out.push({ type: 'tool-call-start', index, id: part.id, name: part.name });
        out.push({ type: 'tool-input-delta', index, argumentsDelta: part.arguments });
        if (part.thoughtSignature)
          out.push({ type: 'thought-signature', index, signature: part.thoughtSignature });
        out.push({ type: 'part-end', index });
        continue;
      }
      const signature = part.type === 'text' ? part.thoughtSignature : part.signature;
      const current = continueOrOpen(part.type, signature, out);
      if (part.text !== '') {
        out.push({
          type: part.type === 'text' ? 'text-delta' : 'reasoning-delta',
          index: current.index,
          text: part.text,
        });
      }
      if (signature !== undefined) {
        current.signed = true;
        out.push(
          part.type === 'text'
            ? { type: 'thought-signature', index: current.index, signature }
            : { type: 'reasoning-signature', index: current.index, signature },
        );
      }
    }
    const usage = geminiUsageFromResponse(chunk);
    if (usage) out.push({ type: 'usage', usage });
    const blocked = stringField(objectField(chunk, 'promptFeedback'), 'blockReason') !== undefined;
    if (stringField(candidate, 'finishReason') !== undefined || (candidate === undefined && blocked)) {
      finish = finishOf(chunk, candidate, [], warnings);
      close(out);
    }
  }

  return {
    push(event: SseEvent): StreamEvent[] {
      if (done) return [];
      const out: StreamEvent[] = [];
      let chunk: JsonObject | undefined;
      try {
        chunk = asObject(JSON.parse(event.data));
      } catch {
        chunk = undefined;
      }
      if (chunk === undefined) {
        done = true;
        return [
          {
            type: 'error',
            error: new GatewayError(
              'upstream_bad_response',
              'The Gemini stream sent a chunk that is not a JSON object',
            ),
          },
        ];
      }
      const error = upstreamError(chunk);
      if (error) {
        done = true;
        return [{ type: 'error', error }];
      }
      take(chunk, out);
      return out;
    },

    end(): StreamEvent[] {
      if (done) return [];
      done = true;
      const out: StreamEvent[] = [];
      close(out);
      if (finish === undefined) {
        out.push({
          type: 'error',
          error: new GatewayError(
            'upstream_bad_response',
            'The Gemini stream ended before the answer finished',
          ),
        });
        return out;
      }
      // STOP means tool-calls when the answer held calls, which may have come after the STOP chunk was read.
      out.push({ type: 'finish', reason: finish === 'stop' && hasToolCalls ? 'tool-calls' : finish });
      return out;
    },
  };
}
