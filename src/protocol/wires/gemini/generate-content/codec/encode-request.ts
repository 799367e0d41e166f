/** The canonical request -> a Gemini generateContent body (the model and stream mode go in the URL). */
import type { EncodeRequestContext } from '../../../../canonical/codec';
import type { CanonicalRequest } from '../../../../canonical/request';
import type { JsonObject } from '../../../../json-access';
import { encodeGenerationConfig, encodeToolConfig, encodeTools } from './encode-config';
import { encodeContents } from './encode-contents';

export function encodeRequest(
  request: CanonicalRequest,
  context: EncodeRequestContext,
): Record<string, unknown> {
  const { warnings } = context;
  const body: JsonObject = { contents: encodeContents(request.messages, warnings) };
  const system = request.system.filter((p) => p.text !== '');
  if (system.length > 0) body['systemInstruction'] = { parts: system.map((p) => ({ text: p.text })) };
  const tools = encodeTools(request.tools, warnings);
  if (tools) body['tools'] = tools;
  // A tool config without tools is rejected (ANY) or meaningless.
  const toolConfig = tools ? encodeToolConfig(request.toolChoice) : undefined;
  if (toolConfig) body['toolConfig'] = toolConfig;
  const generationConfig = encodeGenerationConfig(request, warnings);
  if (generationConfig) body['generationConfig'] = generationConfig;

  if (request.parallelToolCalls === false) warnings.add('unsupported', 'parallelToolCalls');
  if (request.user !== undefined) warnings.add('dropped', 'user');
  // `labels` exist only on Vertex; the Gemini API rejects them.
  if (request.metadata !== undefined && Object.keys(request.metadata).length > 0)
    warnings.add('dropped', 'metadata');
  return body;
}
