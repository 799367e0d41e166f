/** OpenAI Chat Completions (`POST /v1/chat/completions`) as a generate-content wire. */
import { encodeOpenAiChatStreamError, encodeOpenAiError } from '../../../error-envelopes';
import type { GenerateContentWire } from '../../../wire';
import { usageFromTopLevelField } from '../../usage-from-text';
import { readBodyRequestFacts } from '../../request-facts';
import { chatUsageFromResponse, createChatStreamUsageReader } from './usage';

export const openAiChatGenerateContent: GenerateContentWire = {
  wire: 'openai-chat',
  readRequest: readBodyRequestFacts,
  usageFromResponse: chatUsageFromResponse,
  usageFromResponseText: usageFromTopLevelField('usage', chatUsageFromResponse),
  createStreamUsageReader: createChatStreamUsageReader,
  encodeError: encodeOpenAiError,
  encodeStreamError: encodeOpenAiChatStreamError,
};
