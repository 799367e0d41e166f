/** Converse `stopReason` and canonical finish reasons, both ways. */
import type { FinishReason } from '../../../../canonical/response';
import type { TransformWarnings } from '../../../../canonical/warnings';

export function decodeStopReason(stopReason: unknown): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'content_filtered':
    case 'guardrail_intervened':
      return 'content-filter';
    case 'malformed_model_output':
    case 'malformed_tool_use':
      return 'error';
    default:
      // end_turn, stop_sequence (Converse does not say which sequence), and values newer than this.
      return 'stop';
  }
}

export function encodeStopReason(
  reason: FinishReason,
  stopSequence: string | undefined,
  warnings: TransformWarnings,
): string {
  switch (reason) {
    case 'stop':
      return stopSequence === undefined ? 'end_turn' : 'stop_sequence';
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'content_filtered';
    case 'refusal':
      warnings.add('approximated', 'stopReason', 'refusal reported as content_filtered');
      return 'content_filtered';
    case 'pause':
      warnings.add('approximated', 'stopReason', 'pause reported as end_turn');
      return 'end_turn';
    case 'error':
      return 'malformed_model_output';
  }
}
