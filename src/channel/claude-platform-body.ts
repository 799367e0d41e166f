/**
 * A Claude Messages request body as a cloud platform (Bedrock, Vertex) wants it: no `model` (it is
 * in the platform's URL), and the platform's `anthropic_version` in the body (replacing any the
 * client sent) instead of a header.
 *
 * Unlike same-wire passthrough elsewhere (decision 0003), this body is parsed and re-serialized:
 * the platforms reject the extra keys, so fields must go, not just be replaced. Key order and
 * unknown fields are kept; number spelling may change (`1.0` becomes `1`).
 */
import { GatewayError } from '../core/errors';
import { tryParseJson } from '../core/json';
import { asObject } from '../protocol/json-access';

/**
 * The body's fields with `anthropic_version` set first, without `model`, the client's own
 * `anthropic_version` and the `drop` keys; for the caller to adjust further and serialize.
 */
export function claudePlatformBody(
  body: string,
  anthropicVersion: string,
  drop: readonly string[] = [],
): Record<string, unknown> {
  const parsed = tryParseJson(body);
  const source = parsed.ok ? asObject(parsed.value) : undefined;
  if (source === undefined) {
    throw new GatewayError('invalid_request', 'The Claude request body must be a JSON object.');
  }
  // No prototype, so a `__proto__` key in the body stays a plain key.
  const out = Object.create(null) as Record<string, unknown>;
  out['anthropic_version'] = anthropicVersion;
  for (const [key, value] of Object.entries(source)) {
    if (key === 'model' || key === 'anthropic_version' || drop.includes(key)) continue;
    out[key] = value;
  }
  return out;
}
