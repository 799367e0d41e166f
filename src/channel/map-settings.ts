/**
 * Provider settings that are JSON objects of strings: Azure's `deployments` (model -> deployment)
 * and the static `headers` of OpenAI-compatible presets and custom endpoints.
 */
import { GatewayError } from '../core/errors';
import type { ProviderContext, UpstreamRequest } from './contract';

function badSetting(provider: ProviderContext, message: string): GatewayError {
  return new GatewayError('invalid_request', `Provider "${provider.name}": ${message}`);
}

/** A `{ "name": "value" }` setting; `{}` when absent. */
export function stringMapSetting(provider: ProviderContext, key: string): Readonly<Record<string, string>> {
  const value = provider.settings[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw badSetting(provider, `setting "${key}" must be an object of strings`);
  }
  const map: Record<string, string> = {};
  for (const [name, entry] of Object.entries(value)) {
    if (typeof entry !== 'string' || entry === '') {
      throw badSetting(provider, `${key}["${name}"] must be a non-empty string`);
    }
    map[name] = entry;
  }
  return map;
}

/** RFC 9110 token characters: anything else could not be sent as a header name. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Headers the transport sets from the request itself; a static value would corrupt the framing. */
const TRANSPORT_HEADERS = new Set([
  'host',
  'content-length',
  'connection',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
]);

/** A header name taken from a setting, lower-cased like every header the channels build. */
export function headerName(provider: ProviderContext, where: string, name: string): string {
  if (!HEADER_NAME.test(name)) throw badSetting(provider, `${where}: "${name}" is not a valid header name`);
  const lower = name.toLowerCase();
  if (TRANSPORT_HEADERS.has(lower))
    throw badSetting(provider, `${where}: "${name}" cannot be set statically`);
  return lower;
}

/** A header value taken from a setting: CR, LF and NUL would split or end the header. */
export function headerValueSetting(provider: ProviderContext, where: string, value: string): string {
  if (/[\r\n\0]/.test(value)) throw badSetting(provider, `${where} must not contain line breaks`);
  return value;
}

/** The `headers` setting: static headers sent with every request, names lower-cased. */
export function extraHeadersSetting(provider: ProviderContext): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(stringMapSetting(provider, 'headers'))) {
    headers[headerName(provider, 'headers', name)] = headerValueSetting(
      provider,
      `headers["${name}"]`,
      value,
    );
  }
  return headers;
}

/**
 * The request with the provider's static headers added. They override what the channel derived
 * from the client (the operator's choice wins), but never a `protect`ed header the request already
 * has: the credential's auth header.
 */
export function withExtraHeaders(
  request: UpstreamRequest,
  provider: ProviderContext,
  protect: readonly string[],
): UpstreamRequest {
  const extra = extraHeadersSetting(provider);
  for (const name of protect) if (request.headers[name] !== undefined) delete extra[name];
  if (Object.keys(extra).length === 0) return request;
  return { ...request, headers: { ...request.headers, ...extra } };
}
