/** Gemini (AI Studio) requests: the model and streaming mode go in the URL, the key in `x-goog-api-key`. */
import { normalizeGeminiModel } from '../../protocol/wires/gemini/generate-content/request';
import type { PrepareInput, UpstreamRequest } from '../contract';
import { endpointOverride, geminiStreamingEndpoint } from '../endpoints';
import { unsupportedOperation } from '../routing';
import { baseUrlSetting, requireSecret } from '../settings';
import { GEMINI_DEFAULT_BASE_URL } from './descriptor';

function methodSuffix(input: PrepareInput): string {
  if (!input.stream) return ':generateContent';
  // Without alt=sse the API streams one JSON array instead of SSE events.
  return input.streamFormat === 'sse' ? ':streamGenerateContent?alt=sse' : ':streamGenerateContent';
}

export function prepareGemini(input: PrepareInput): UpstreamRequest {
  const { provider, credential, operation } = input;
  if (operation.operation !== 'generate-content' || operation.wire !== 'gemini') {
    throw unsupportedOperation('gemini', operation);
  }
  const model = normalizeGeminiModel(input.upstreamModel);
  // Encoded (here or by endpointOverride) so a model id can never reach another path of the API.
  const override = endpointOverride(provider, operation, model);
  const url =
    override === undefined
      ? `${baseUrlSetting(provider, GEMINI_DEFAULT_BASE_URL)}/models/${encodeURIComponent(model)}${methodSuffix(input)}`
      : geminiStreamingEndpoint(override, input.stream, input.streamFormat);
  const headers = {
    'content-type': 'application/json',
    'x-goog-api-key': requireSecret(provider, credential, 'api_key'),
  };
  return { method: 'POST', url, headers, body: input.body };
}
