/**
 * Claude on Vertex takes the Messages body without `model` (it is in the URL) and with the Vertex
 * `anthropic_version` in the body instead of a header.
 */
import { claudePlatformBody } from '../claude-platform-body';

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

export function toVertexClaudeBody(body: string): string {
  return JSON.stringify(claudePlatformBody(body, VERTEX_ANTHROPIC_VERSION));
}
