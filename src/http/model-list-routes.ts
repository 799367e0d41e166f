/**
 * Model listings: OpenAI and Claude `GET /v1/models` (told apart by the `anthropic-version`
 * header the Anthropic SDKs send), Gemini `GET /v1beta/models` (and `/v1/models` with a Gemini key
 * header), each also scoped to one provider (`/{provider}/v1/models`). A listing shows exactly
 * the names the key may call (pipeline/list-models.ts), in the client's own shape.
 */
import type { Context, Hono } from 'hono';
import { newRequestId } from '../core/ids';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { extractUserKey } from '../pipeline/authenticate';
import type { GenerateContentPipeline } from '../pipeline/generate-content';
import { visibleModels } from '../pipeline/list-models';
import type { WireKind } from '../protocol/operation';
import { errorResponse, REQUEST_ID_HEADER } from './error-response';

export interface ModelListDeps {
  pipeline: GenerateContentPipeline;
  clock: Clock;
  logger: Logger;
}

type Family = 'openai' | 'claude' | 'gemini';

const ERROR_WIRE: Record<Family, WireKind> = { openai: 'openai-chat', claude: 'claude', gemini: 'gemini' };

function render(family: Family, ids: readonly string[]): unknown {
  if (family === 'gemini')
    return {
      models: ids.map((id) => ({
        name: `models/${id}`,
        displayName: id,
        supportedGenerationMethods: ['generateContent', 'streamGenerateContent'],
      })),
    };
  if (family === 'claude')
    return {
      data: ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '1970-01-01T00:00:00Z' })),
      has_more: false,
      first_id: ids[0] ?? null,
      last_id: ids[ids.length - 1] ?? null,
    };
  return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'gproxy' })) };
}

export function registerModelListRoutes(app: Hono, deps: ModelListDeps): void {
  const handler = (gemini: boolean) => async (c: Context) => {
    const requestId = newRequestId(deps.clock.now());
    const header = (name: string): string | undefined => c.req.header(name);
    const family: Family =
      gemini || header('x-goog-api-key') !== undefined
        ? 'gemini'
        : header('anthropic-version') !== undefined
          ? 'claude'
          : 'openai';
    try {
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'x-api-key', 'x-goog-api-key']) {
        const value = header(name);
        if (value !== undefined) headers[name] = value;
      }
      const identity = await deps.pipeline.authenticate(extractUserKey(headers, c.req.query('key') ?? null));
      const ids = visibleModels(deps.pipeline.snapshot, identity.access, c.req.param('provider'));
      return c.json(render(family, ids), 200, { [REQUEST_ID_HEADER]: requestId });
    } catch (error) {
      return errorResponse(ERROR_WIRE[family], error, requestId, deps.logger);
    }
  };
  for (const prefix of ['', '/:provider']) {
    app.get(`${prefix}/v1/models`, handler(false));
    app.get(`${prefix}/v1beta/models`, handler(true));
  }
}
