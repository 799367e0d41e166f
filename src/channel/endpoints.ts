/**
 * Per-operation endpoint overrides, shared by every HTTP channel. The provider setting `endpoints`
 * maps an operation key (`"generate-content:openai-chat"`) to the exact URL to call instead of the
 * channel's `base_url` + path, for upstreams whose paths differ from the provider's own (gateways,
 * proxies, self-hosted servers). `{model}` in the URL becomes the URL-encoded upstream model id.
 */
import { GatewayError } from '../core/errors';
import { OPERATIONS, UPSTREAM_WIRE_KINDS } from '../protocol/operation';
import type { UpstreamOperationKey } from '../protocol/operation';
import type { ProviderContext, StreamFormat } from './contract';

const MODEL_PLACEHOLDER = '{model}';

/** `generate-content:openai-chat`: how an operation key is written in the `endpoints` setting. */
export function operationKeyString(operation: UpstreamOperationKey): string {
  return `${operation.operation}:${operation.wire}`;
}

function badEndpoints(provider: ProviderContext, message: string): GatewayError {
  return new GatewayError('invalid_request', `Provider "${provider.name}": ${message}`);
}

function isOperationKeyString(key: string): boolean {
  const [operation, wire, ...rest] = key.split(':');
  return (
    rest.length === 0 &&
    (OPERATIONS as readonly string[]).includes(operation ?? '') &&
    (UPSTREAM_WIRE_KINDS as readonly string[]).includes(wire ?? '')
  );
}

function checkEndpoint(provider: ProviderContext, key: string, value: unknown): string {
  if (!isOperationKeyString(key)) {
    throw badEndpoints(
      provider,
      `endpoints key "${key}" is not an operation key such as "generate-content:openai-chat" ` +
        `(operations: ${OPERATIONS.join(', ')}; wires: ${UPSTREAM_WIRE_KINDS.join(', ')})`,
    );
  }
  if (typeof value !== 'string' || value === '') {
    throw badEndpoints(provider, `endpoints["${key}"] must be a URL string`);
  }
  // Only {model} is substituted; any other placeholder is a typo that would reach the upstream as is.
  const unknown = value.replaceAll(MODEL_PLACEHOLDER, '').match(/\{[^}]*\}/);
  if (unknown) {
    throw badEndpoints(
      provider,
      `endpoints["${key}"] has the unknown placeholder "${unknown[0]}"; only {model} is substituted`,
    );
  }
  let url: URL;
  try {
    url = new URL(value.replaceAll(MODEL_PLACEHOLDER, 'model'));
  } catch {
    throw badEndpoints(provider, `endpoints["${key}"] "${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badEndpoints(provider, `endpoints["${key}"] must be an http or https URL`);
  }
  return value;
}

/**
 * Validated tables by the settings object they came from: provider settings live in an immutable
 * snapshot, so each table is checked once rather than on every request.
 */
const checkedTables = new WeakMap<object, ReadonlyMap<string, string>>();

/** The whole table is checked at first use, so a mistyped key fails loudly instead of never matching. */
function endpointTable(provider: ProviderContext): ReadonlyMap<string, string> | undefined {
  const value = provider.settings['endpoints'];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw badEndpoints(
      provider,
      'setting "endpoints" must be an object mapping operation keys (e.g. "generate-content:openai-chat") to URLs',
    );
  }
  const cached = checkedTables.get(value);
  if (cached !== undefined) return cached;
  const table = new Map<string, string>();
  for (const [key, url] of Object.entries(value)) table.set(key, checkEndpoint(provider, key, url));
  checkedTables.set(value, table);
  return table;
}

/**
 * The provider's URL for this operation key, with `{model}` replaced by the URL-encoded upstream
 * model (encoded so a model id can never reach another path); undefined when none is configured.
 * Throws GatewayError('invalid_request') naming the provider and key when the setting is malformed.
 */
export function endpointOverride(
  provider: ProviderContext,
  operation: UpstreamOperationKey,
  upstreamModel: string,
): string | undefined {
  const url = endpointTable(provider)?.get(operationKeyString(operation));
  return url?.replaceAll(MODEL_PLACEHOLDER, encodeURIComponent(upstreamModel));
}

/**
 * A Gemini override URL adjusted for streaming. Gemini names its method in the path, so one
 * `generate-content:gemini` override serves both: when streaming, a path ending in `:generateContent`
 * becomes `:streamGenerateContent`, and SSE streams get `alt=sse` (appended with `&` when the URL
 * already has a query, left alone when it already names `alt`).
 */
export function geminiStreamingEndpoint(url: string, stream: boolean, streamFormat: StreamFormat): string {
  if (!stream) return url;
  const queryAt = url.indexOf('?');
  let path = queryAt < 0 ? url : url.slice(0, queryAt);
  const query = queryAt < 0 ? '' : url.slice(queryAt);
  if (path.endsWith(':generateContent')) {
    path = `${path.slice(0, -':generateContent'.length)}:streamGenerateContent`;
  }
  if (streamFormat !== 'sse' || /[?&]alt=/.test(query)) return path + query;
  return path + (query === '' || query === '?' ? '?alt=sse' : `${query}&alt=sse`);
}
