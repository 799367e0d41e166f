/**
 * A Claude Messages request body as Bedrock's InvokeModel wants it: the platform rewrite of
 * `claudePlatformBody` (no `model`, Bedrock's `anthropic_version`), also without `stream` (the
 * endpoint decides), and the client's `anthropic-beta` header carried as the `anthropic_beta` body
 * field (Bedrock reads betas only there).
 */
import { claudePlatformBody } from '../claude-platform-body';

export const BEDROCK_ANTHROPIC_VERSION = 'bedrock-2023-05-31';

function betasOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(',');
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

export function bedrockClaudeBody(body: string, clientBeta: string | undefined): string {
  // Bedrock knows one version only, so a client's own `anthropic_version` is replaced too.
  const out = claudePlatformBody(body, BEDROCK_ANTHROPIC_VERSION, ['stream']);
  const betas = [...betasOf(out['anthropic_beta']), ...betasOf(clientBeta)]
    .map((beta) => beta.trim())
    .filter((beta, index, all) => beta !== '' && all.indexOf(beta) === index);
  if (betas.length > 0) out['anthropic_beta'] = betas;
  else delete out['anthropic_beta'];
  return JSON.stringify(out);
}
