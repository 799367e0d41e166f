/** Gemini `finishReason` <-> canonical finish reasons. */
import type { FinishReason } from '../../../../canonical/response';
import type { TransformWarnings } from '../../../../canonical/warnings';

const CONTENT_FILTER = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
]);

/**
 * Gemini has no tool-calls reason: STOP with functionCall parts is one. MALFORMED_FUNCTION_CALL and
 * UNEXPECTED_TOOL_CALL mean the model failed to produce a usable call, so they become `error`
 * rather than a normal stop that would leave a client waiting for a call that is not there.
 */
export function decodeFinishReason(
  value: string | undefined,
  hasToolCalls: boolean,
  warnings: TransformWarnings,
  field: string,
): FinishReason {
  if (value === undefined || value === 'FINISH_REASON_UNSPECIFIED' || value === 'STOP') {
    return hasToolCalls ? 'tool-calls' : 'stop';
  }
  if (value === 'MAX_TOKENS') return 'length';
  if (CONTENT_FILTER.has(value)) return 'content-filter';
  if (value === 'MALFORMED_FUNCTION_CALL' || value === 'UNEXPECTED_TOOL_CALL') {
    warnings.add('approximated', field, `${value} sent as error`);
    return 'error';
  }
  // OTHER, LANGUAGE, NO_IMAGE and reasons added later.
  warnings.add('approximated', field, `${value} sent as stop`);
  return hasToolCalls ? 'tool-calls' : 'stop';
}

export function encodeFinishReason(reason: FinishReason, warnings: TransformWarnings): string {
  switch (reason) {
    case 'stop':
    case 'tool-calls':
      return 'STOP';
    case 'length':
      return 'MAX_TOKENS';
    case 'content-filter':
      return 'SAFETY';
    case 'refusal':
      // A Claude refusal is a policy stop; SAFETY is what Gemini clients check for that.
      warnings.add('approximated', 'finishReason', 'refusal sent as SAFETY');
      return 'SAFETY';
    case 'pause':
      warnings.add('approximated', 'finishReason', 'pause sent as STOP');
      return 'STOP';
    case 'error':
      warnings.add('approximated', 'finishReason', 'error sent as OTHER');
      return 'OTHER';
  }
}
