/** The Gemini generateContent codec: Gemini wire <-> the canonical model (docs/decisions/0006). */
import type { GenerateContentCodec } from '../../../../canonical/codec';
import { decodeRequest } from './decode-request';
import { decodeResponse } from './decode-response';
import { createStreamDecoder } from './decode-stream';
import { encodeRequest } from './encode-request';
import { encodeResponse } from './encode-response';
import { createStreamEncoder } from './encode-stream';

export const geminiCodec: GenerateContentCodec = {
  wire: 'gemini',
  decodeRequest,
  encodeRequest,
  decodeResponse,
  encodeResponse,
  createStreamDecoder,
  createStreamEncoder,
};
