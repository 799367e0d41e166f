/** Responses `status` + `incomplete_details` and canonical finish reasons, both ways. */
import type { FinishReason } from '../../../../canonical/response';
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';
import { objectAt, stringAt } from '../../../../json-access';

/**
 * The wire has no tool-call finish: a completed response that asked for functions is `tool-calls`.
 * Statuses a synchronous answer should not have (queued, in_progress) read as a normal end.
 */
export function finishFromResponse(
  response: JsonObject | undefined,
  hasToolCalls: boolean,
  hasRefusal = false,
): FinishReason {
  const status = stringAt(response, 'status');
  if (status === 'failed' || status === 'cancelled') return 'error';
  if (status === 'incomplete') {
    const reason = stringAt(objectAt(response, 'incomplete_details'), 'reason');
    return reason === 'content_filter' ? 'content-filter' : 'length';
  }
  if (hasToolCalls) return 'tool-calls';
  // A completed answer whose content is a refusal ended because the model declined.
  return hasRefusal ? 'refusal' : 'stop';
}

export interface WireStatus {
  status: 'completed' | 'incomplete' | 'failed';
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  error: { code: string; message: string } | null;
}

export function statusForFinish(reason: FinishReason, warnings: TransformWarnings): WireStatus {
  switch (reason) {
    case 'stop':
    case 'tool-calls':
      return { status: 'completed', incomplete_details: null, error: null };
    case 'refusal':
    case 'pause':
      // Claude's refusal and pause_turn have no Responses status; the answer itself is complete.
      warnings.add('approximated', 'status', `${reason} as completed`);
      return { status: 'completed', incomplete_details: null, error: null };
    case 'length':
      return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, error: null };
    case 'content-filter':
      return { status: 'incomplete', incomplete_details: { reason: 'content_filter' }, error: null };
    case 'error':
      return {
        status: 'failed',
        incomplete_details: null,
        error: { code: 'server_error', message: 'The upstream provider failed to complete the response' },
      };
  }
}
