/** Gemini generateContent / streamGenerateContent (`POST /v1beta/models/{model}:…`) as a generate-content wire. */
import { encodeGeminiError, encodeGeminiStreamError } from '../../../error-envelopes';
import type { GenerateContentWire } from '../../../wire';
import { usageFromTopLevelField } from '../../usage-from-text';
import { readGeminiRequest } from './request';
import { createGeminiStreamUsageReader, geminiUsageFromResponse } from './usage';

export const geminiGenerateContent: GenerateContentWire = {
  wire: 'gemini',
  readRequest: readGeminiRequest,
  usageFromResponse: geminiUsageFromResponse,
  usageFromResponseText: usageFromTopLevelField('usageMetadata', geminiUsageFromResponse),
  createStreamUsageReader: createGeminiStreamUsageReader,
  encodeError: encodeGeminiError,
  encodeStreamError: encodeGeminiStreamError,
};
