/** The OpenAI Responses (`POST /v1/responses`) generate-content codec (docs/decisions/0006). */
import type { GenerateContentCodec } from '../../../../canonical/codec';
import { decodeRequest } from './decode-request';
import { decodeResponse } from './decode-response';
import { createStreamDecoder } from './decode-stream';
import { encodeRequest } from './encode-request';
import { encodeResponse } from './encode-response';
import { createStreamEncoder } from './encode-stream';

export const openAiResponsesCodec: GenerateContentCodec = {
  wire: 'openai-responses',
  decodeRequest,
  encodeRequest,
  decodeResponse,
  encodeResponse,
  createStreamDecoder,
  createStreamEncoder,
};
