/** Claude Messages (`POST /v1/messages`) as a generate-content wire. */
import { encodeClaudeError, encodeClaudeStreamError } from '../../../error-envelopes';
import type { GenerateContentWire } from '../../../wire';
import { usageFromTopLevelField } from '../../usage-from-text';
import { readBodyRequestFacts } from '../../request-facts';
import { claudeUsageFromResponse, createClaudeStreamUsageReader } from './usage';

export const claudeGenerateContent: GenerateContentWire = {
  wire: 'claude',
  readRequest: readBodyRequestFacts,
  usageFromResponse: claudeUsageFromResponse,
  usageFromResponseText: usageFromTopLevelField('usage', claudeUsageFromResponse),
  createStreamUsageReader: createClaudeStreamUsageReader,
  encodeError: encodeClaudeError,
  encodeStreamError: encodeClaudeStreamError,
};
