/**
 * The gateway's route table: (method, path) -> operation key, plus what the path itself says
 * (Gemini carries the model and the stream choice in the URL). One table; the app registers it.
 */
import type { StreamFormat } from '../channel/contract';
import type { OperationKey } from '../protocol/operation';

export interface ClassifiedRoute {
  operation: OperationKey;
  /** Present when the path names the model (Gemini). */
  pathModel?: string;
  /** Present when the path decides streaming (Gemini). */
  pathStream?: boolean;
  streamFormat: StreamFormat;
}

export interface GatewayRoute {
  method: 'POST';
  /** Hono path pattern. */
  path: string;
  /** Classifies a matched request from its path tail and query. */
  classify(pathTail: string, query: URLSearchParams): ClassifiedRoute | undefined;
}

const fixed = (operation: OperationKey) => (): ClassifiedRoute => ({ operation, streamFormat: 'sse' });

/** `gemini-2.0-flash:streamGenerateContent` -> model + stream flag. */
function classifyGemini(pathTail: string, query: URLSearchParams): ClassifiedRoute | undefined {
  const colon = pathTail.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const model = decodeURIComponent(pathTail.slice(0, colon));
  const action = pathTail.slice(colon + 1);
  const operation: OperationKey = { operation: 'generate-content', wire: 'gemini' };
  if (action === 'generateContent')
    return { operation, pathModel: model, pathStream: false, streamFormat: 'sse' };
  if (action === 'streamGenerateContent') {
    return {
      operation,
      pathModel: model,
      pathStream: true,
      streamFormat: query.get('alt') === 'sse' ? 'sse' : 'json-array',
    };
  }
  return undefined;
}

export const GATEWAY_ROUTES: readonly GatewayRoute[] = [
  {
    method: 'POST',
    path: '/v1/chat/completions',
    classify: fixed({ operation: 'generate-content', wire: 'openai-chat' }),
  },
  {
    method: 'POST',
    path: '/v1/responses',
    classify: fixed({ operation: 'generate-content', wire: 'openai-responses' }),
  },
  {
    method: 'POST',
    path: '/v1/messages',
    classify: fixed({ operation: 'generate-content', wire: 'claude' }),
  },
  // The current @google/genai SDK calls /v1beta by default; /v1 is the stable Gemini API path.
  { method: 'POST', path: '/v1beta/models/*', classify: classifyGemini },
  { method: 'POST', path: '/v1/models/*', classify: classifyGemini },
];

/** The error family to answer in when no route matched, guessed from the path. */
export function wireForUnmatchedPath(path: string): OperationKey['wire'] {
  if (path.startsWith('/v1beta/') || /^\/v1\/models\/[^/]+:/.test(path)) return 'gemini';
  if (path.startsWith('/v1/messages')) return 'claude';
  if (path.startsWith('/v1/responses')) return 'openai-responses';
  return 'openai-chat';
}
