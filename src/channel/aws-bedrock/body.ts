/**
 * A Claude Messages request body as Bedrock's InvokeModel wants it: no `model` (it is in the URL),
 * no `stream` (the endpoint decides), `anthropic_version` set to Bedrock's (replacing any the client
 * sent), and the client's `anthropic-beta` header carried as the `anthropic_beta` body field
 * (Bedrock reads betas only there).
 *
 * Unlike same-wire passthrough elsewhere (decision 0003), this body is parsed and re-serialized:
 * Bedrock rejects the extra keys, so fields must go, not just be replaced. Key order and unknown
 * fields are kept; number spelling may change (`1.0` becomes `1`).
 */
import { GatewayError } from '../../core/errors';
import { tryParseJson } from '../../core/json';

export const BEDROCK_ANTHROPIC_VERSION = 'bedrock-2023-05-31';

function betasOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(',');
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

export function bedrockClaudeBody(body: string, clientBeta: string | undefined): string {
  const parsed = tryParseJson(body);
  if (
    !parsed.ok ||
    typeof parsed.value !== 'object' ||
    parsed.value === null ||
    Array.isArray(parsed.value)
  ) {
    throw new GatewayError('invalid_request', 'The request body must be a JSON object');
  }
  const source = parsed.value as Record<string, unknown>;
  // No prototype, so a `__proto__` key in the body stays a plain key.
  const out = Object.create(null) as Record<string, unknown>;
  out['anthropic_version'] = BEDROCK_ANTHROPIC_VERSION;
  for (const [key, value] of Object.entries(source)) {
    // Bedrock knows one version only, so a client's own `anthropic_version` is replaced too.
    if (key === 'model' || key === 'stream' || key === 'anthropic_version') continue;
    out[key] = value;
  }
  const betas = [...betasOf(source['anthropic_beta']), ...betasOf(clientBeta)]
    .map((beta) => beta.trim())
    .filter((beta, index, all) => beta !== '' && all.indexOf(beta) === index);
  if (betas.length > 0) out['anthropic_beta'] = betas;
  else delete out['anthropic_beta'];
  return JSON.stringify(out);
}
