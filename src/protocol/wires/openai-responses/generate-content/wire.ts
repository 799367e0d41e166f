/** OpenAI Responses (`POST /v1/responses`) as a generate-content wire. */
import { encodeOpenAiError, encodeOpenAiResponsesStreamError } from '../../../error-envelopes';
import type { GenerateContentWire } from '../../../wire';
import { usageFromTopLevelField } from '../../usage-from-text';
import { readBodyRequestFacts } from '../../request-facts';
import { createResponsesStreamUsageReader, responsesUsageFromResponse } from './usage';

export const openAiResponsesGenerateContent: GenerateContentWire = {
  wire: 'openai-responses',
  readRequest: readBodyRequestFacts,
  usageFromResponse: responsesUsageFromResponse,
  usageFromResponseText: usageFromTopLevelField('usage', responsesUsageFromResponse),
  createStreamUsageReader: createResponsesStreamUsageReader,
  encodeError: encodeOpenAiError,
  encodeStreamError: encodeOpenAiResponsesStreamError,
};
