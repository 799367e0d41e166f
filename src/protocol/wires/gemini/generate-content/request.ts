/** Gemini names the model and the streaming mode in the path (`models/{model}:streamGenerateContent`). */
import type { GenerateContentRequestFacts, RequestPathFacts } from '../../../wire';
import { requireModel, requireObjectBody } from '../../request-facts';

/** Gemini model ids are written both as `gemini-2.5-flash` and as the resource name `models/gemini-2.5-flash`. */
export function normalizeGeminiModel(model: string): string {
  return model.startsWith('models/') ? model.slice('models/'.length) : model;
}

export function readGeminiRequest(body: unknown, path: RequestPathFacts): GenerateContentRequestFacts {
  requireObjectBody(body);
  const model = normalizeGeminiModel(requireModel(path.model));
  return { model: requireModel(model), stream: path.stream === true };
}
