/**
 * The Bedrock Converse codec: Converse request, response and stream bodies to and from the
 * canonical model. An upstream-only wire (decision 0009): pipelines encode requests and decode
 * answers with it; its request decoder and answer encoders exist for tests and fake upstreams.
 */
import type { GenerateContentCodec } from '../../../../canonical/codec';
import { decodeConverseRequest } from './decode-request';
import { decodeConverseResponse } from './decode-response';
import { createConverseStreamDecoder } from './decode-stream';
import { encodeConverseRequest } from './encode-request';
import { encodeConverseResponse } from './encode-response';
import { createConverseStreamEncoder } from './encode-stream';

export const bedrockConverseCodec: GenerateContentCodec = {
  wire: 'bedrock-converse',
  decodeRequest: decodeConverseRequest,
  encodeRequest: encodeConverseRequest,
  decodeResponse: decodeConverseResponse,
  encodeResponse: encodeConverseResponse,
  createStreamDecoder: createConverseStreamDecoder,
  createStreamEncoder: createConverseStreamEncoder,
};
