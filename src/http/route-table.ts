/**
 * The gateway's route table: (method, path) -> operation key, plus what the path itself says
 * (Gemini carries the model and the stream choice in the URL). One table; the app registers it.
 * Every endpoint also exists scoped to one provider, `/{provider}/v1/...` and
 * `/{provider}/v1beta/...`, where the model is that provider's own model id.
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
  /** The path without the `/:provider` prefix; the classifier gets what follows its fixed part. */
  basePath: string;
  /** True when the first path segment names the provider (scoped endpoint). */
  scoped: boolean;
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

const BASE_ROUTES: readonly Pick<GatewayRoute, 'path' | 'classify'>[] = [
  { path: '/v1/chat/completions', classify: fixed({ operation: 'generate-content', wire: 'openai-chat' }) },
  { path: '/v1/responses', classify: fixed({ operation: 'generate-content', wire: 'openai-responses' }) },
  { path: '/v1/messages', classify: fixed({ operation: 'generate-content', wire: 'claude' }) },
  // The current @google/genai SDK calls /v1beta by default; /v1 is the stable Gemini API path.
  { path: '/v1beta/models/*', classify: classifyGemini },
  { path: '/v1/models/*', classify: classifyGemini },
];

export const GATEWAY_ROUTES: readonly GatewayRoute[] = [
  ...BASE_ROUTES.map((r) => ({ ...r, method: 'POST' as const, basePath: r.path, scoped: false })),
  ...BASE_ROUTES.map((r) => ({
    ...r,
    method: 'POST' as const,
    path: `/:provider${r.path}`,
    basePath: r.path,
    scoped: true,
  })),
];

/** `/{provider}/v1/...` -> the provider name and the unscoped path; null for unscoped paths. */
export function splitScopedPath(path: string): { provider: string; rest: string } | null {
  if (/^\/v1(?:beta)?\//.test(path)) return null;
  const match = /^\/([^/]+)(\/v1(?:beta)?\/.*)$/.exec(path);
  if (match === null) return null;
  let provider: string;
  try {
    provider = decodeURIComponent(match[1] ?? '');
  } catch {
    provider = match[1] ?? '';
  }
  return { provider, rest: match[2] ?? '' };
}

/** The error family to answer in when no route matched, guessed from the path. */
export function wireForUnmatchedPath(fullPath: string): OperationKey['wire'] {
  const path = splitScopedPath(fullPath)?.rest ?? fullPath;
  if (path.startsWith('/v1beta/') || /^\/v1\/models\/[^/]+:/.test(path)) return 'gemini';
  if (path.startsWith('/v1/messages')) return 'claude';
  if (path.startsWith('/v1/responses')) return 'openai-responses';
  return 'openai-chat';
}
