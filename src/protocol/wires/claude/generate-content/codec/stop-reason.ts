/** Claude `stop_reason` and canonical finish reasons, both ways. */
import type { FinishReason } from '../../../../canonical/response';
import type { TransformWarnings } from '../../../../canonical/warnings';

export interface DecodedStop {
  reason: FinishReason;
  stopSequence?: string;
}

export function decodeStopReason(stopReason: unknown, stopSequence: unknown): DecodedStop {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return { reason: 'length' };
    case 'tool_use':
      return { reason: 'tool-calls' };
    case 'refusal':
      return { reason: 'refusal' };
    case 'pause_turn':
      return { reason: 'pause' };
    case 'stop_sequence':
      return typeof stopSequence === 'string' ? { reason: 'stop', stopSequence } : { reason: 'stop' };
    default:
      // end_turn, and anything newer that we do not know yet.
      return { reason: 'stop' };
  }
}

export interface EncodedStop {
  stop_reason: string;
  stop_sequence: string | null;
}

export function encodeStopReason(
  reason: FinishReason,
  stopSequence: string | undefined,
  warnings: TransformWarnings,
): EncodedStop {
  switch (reason) {
    case 'stop':
      return stopSequence === undefined
        ? { stop_reason: 'end_turn', stop_sequence: null }
        : { stop_reason: 'stop_sequence', stop_sequence: stopSequence };
    case 'length':
      return { stop_reason: 'max_tokens', stop_sequence: null };
    case 'tool-calls':
      return { stop_reason: 'tool_use', stop_sequence: null };
    case 'refusal':
      return { stop_reason: 'refusal', stop_sequence: null };
    case 'content-filter':
      // Claude's `refusal` is what its own safety stop looks like to a Claude client.
      warnings.add('approximated', 'stop_reason', 'content filter reported as refusal');
      return { stop_reason: 'refusal', stop_sequence: null };
    case 'pause':
      return { stop_reason: 'pause_turn', stop_sequence: null };
    case 'error':
      warnings.add('approximated', 'stop_reason', 'upstream error reported as end_turn');
      return { stop_reason: 'end_turn', stop_sequence: null };
  }
}
