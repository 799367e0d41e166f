/** Vertex AI URLs: the host follows the location, the path names project, location, publisher and model. */
import { GatewayError } from '../../core/errors';
import type { ProviderContext } from '../contract';
import { baseUrlSetting, optionalStringSetting } from '../settings';
import { VERTEX_DEFAULT_LOCATION, VERTEX_DEFAULT_PUBLISHER } from './descriptor';

export type VertexPublisher = 'google' | 'anthropic';

function badSetting(provider: ProviderContext, message: string): GatewayError {
  return new GatewayError('invalid_request', `Provider "${provider.name}": ${message}`);
}

/** The `publisher` setting, or undefined when it names no publisher this channel knows. */
export function publisherOf(provider: ProviderContext): VertexPublisher | undefined {
  const value = provider.settings['publisher'] ?? VERTEX_DEFAULT_PUBLISHER;
  return value === 'google' || value === 'anthropic' ? value : undefined;
}

export function requirePublisher(provider: ProviderContext): VertexPublisher {
  const publisher = publisherOf(provider);
  if (publisher === undefined)
    throw badSetting(provider, 'setting "publisher" must be "google" or "anthropic"');
  return publisher;
}

/** The location goes into the host name, so only a region-like name is accepted. */
export function locationSetting(provider: ProviderContext): string {
  const location = optionalStringSetting(provider, 'location') ?? VERTEX_DEFAULT_LOCATION;
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(location)) {
    throw badSetting(
      provider,
      `location "${location}" is not a Vertex AI location (e.g. us-central1, global)`,
    );
  }
  return location;
}

/** `global` has no regional host. */
export function defaultBaseUrl(location: string): string {
  const host = location === 'global' ? 'aiplatform.googleapis.com' : `${location}-aiplatform.googleapis.com`;
  return `https://${host}/v1`;
}

/** Encoded so a model id cannot reach another path; `@` stays, as in `claude-sonnet-4-5@20250929`. */
function encodeModel(model: string): string {
  return encodeURIComponent(model).replace(/%40/g, '@');
}

export interface ModelUrlInput {
  provider: ProviderContext;
  project: string;
  publisher: VertexPublisher;
  model: string;
  /** The method after the colon, e.g. `generateContent` or `streamRawPredict`. */
  method: string;
  query?: string;
}

export function vertexModelUrl(input: ModelUrlInput): string {
  const location = locationSetting(input.provider);
  const base = baseUrlSetting(input.provider, defaultBaseUrl(location));
  const path =
    `/projects/${encodeURIComponent(input.project)}/locations/${location}` +
    `/publishers/${input.publisher}/models/${encodeModel(input.model)}:${input.method}`;
  return `${base}${path}${input.query === undefined ? '' : `?${input.query}`}`;
}

/**
 * A Claude override URL adjusted for streaming: one `generate-content:claude` override serves both,
 * a path ending in `:rawPredict` becoming `:streamRawPredict` when streaming.
 */
export function claudeStreamingEndpoint(url: string, stream: boolean): string {
  if (!stream) return url;
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  const query = queryAt < 0 ? '' : url.slice(queryAt);
  if (!path.endsWith(':rawPredict')) return url;
  return `${path.slice(0, -':rawPredict'.length)}:streamRawPredict${query}`;
}
