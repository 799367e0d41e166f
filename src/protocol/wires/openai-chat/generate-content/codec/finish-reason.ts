/** Chat Completions `finish_reason` <-> canonical finish reasons. */
import type { FinishReason } from '../../../../canonical/response';
import type { TransformWarnings } from '../../../../canonical/warnings';

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/**
 * `sawToolCalls`/`sawRefusal` refine a plain `stop`: some OpenAI-compatible upstreams end a
 * tool-calling turn with `stop`, and OpenAI itself ends a refusal with `stop` plus `refusal` text.
 * Unknown reasons (compatible upstreams invent their own) read as a natural stop.
 */
export function decodeFinishReason(value: unknown, sawToolCalls: boolean, sawRefusal: boolean): FinishReason {
  switch (value) {
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      if (sawToolCalls) return 'tool-calls';
      return sawRefusal ? 'refusal' : 'stop';
  }
}

export function encodeFinishReason(reason: FinishReason, warnings: TransformWarnings): ChatFinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool-calls':
      return 'tool_calls';
    case 'content-filter':
      return 'content_filter';
    case 'refusal':
      // OpenAI ends a refusal with `stop`; the refusal text itself travels in `refusal`.
      return 'stop';
    case 'pause':
    case 'error':
      warnings.add('approximated', 'finish_reason', `${reason} has no Chat Completions reason; sent as stop`);
      return 'stop';
  }
}
