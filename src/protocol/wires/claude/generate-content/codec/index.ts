/** The Claude Messages codec: Claude request, response and stream bodies to and from the canonical model. */
import type { GenerateContentCodec } from '../../../../canonical/codec';
import { decodeClaudeRequest } from './decode-request';
import { decodeClaudeResponse } from './decode-response';
import { createClaudeStreamDecoder } from './decode-stream';
import { encodeClaudeRequest } from './encode-request';
import { encodeClaudeResponse } from './encode-response';
import { createClaudeStreamEncoder } from './encode-stream';

export const claudeCodec: GenerateContentCodec = {
  wire: 'claude',
  decodeRequest: decodeClaudeRequest,
  encodeRequest: encodeClaudeRequest,
  decodeResponse: decodeClaudeResponse,
  encodeResponse: encodeClaudeResponse,
  createStreamDecoder: createClaudeStreamDecoder,
  createStreamEncoder: createClaudeStreamEncoder,
};
