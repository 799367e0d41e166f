/**
 * Claude on Vertex takes the Messages body without `model` (it is in the URL) and with the Vertex
 * `anthropic_version` in the body instead of a header.
 */
import { GatewayError } from '../../core/errors';
import { tryParseJson } from '../../core/json';

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

export function toVertexClaudeBody(body: string): string {
  const parsed = tryParseJson(body);
  if (
    !parsed.ok ||
    typeof parsed.value !== 'object' ||
    parsed.value === null ||
    Array.isArray(parsed.value)
  ) {
    throw new GatewayError('invalid_request', 'The Claude request body must be a JSON object.');
  }
  // Re-serialized: key order and unknown fields survive, only number spelling may change.
  const { model: _model, anthropic_version: _version, ...rest } = parsed.value as Record<string, unknown>;
  return JSON.stringify({ anthropic_version: VERTEX_ANTHROPIC_VERSION, ...rest });
}
