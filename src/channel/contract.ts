/**
 * What a channel is. A channel is the code for one upstream family: it prepares the upstream
 * request for an operation key (URL, auth injection, header allow-list), classifies the upstream
 * outcome, and reads usage. It never reads the database or the clock: everything it needs comes in.
 */
import type { OperationKey, WireKind } from '../protocol/operation';

export type StreamFormat = 'sse' | 'json-array';

export interface ChannelDescriptor {
  /** Stable id used in provider records, e.g. `openai`. */
  id: string;
  displayName: string;
  /** The wire kinds this channel speaks natively for generate-content. */
  nativeWires: readonly WireKind[];
  /** Settings the provider form shows; `base_url` is common to most channels. */
  settings: readonly ChannelSettingField[];
  /** Fields of a credential's secret, e.g. `api_key`. */
  secretFields: readonly string[];
}

export interface ChannelSettingField {
  key: string;
  label: string;
  required: boolean;
  default?: string;
}

/** What a channel decides per operation key for a given provider. */
export type RoutingRule =
  { kind: 'passthrough' } | { kind: 'convert'; to: WireKind } | { kind: 'local' } | { kind: 'unsupported' };

export interface ProviderContext {
  name: string;
  settings: Readonly<Record<string, unknown>>;
}

export interface CredentialContext {
  label: string;
  secret: Readonly<Record<string, string>>;
}

export interface PrepareInput {
  provider: ProviderContext;
  credential: CredentialContext;
  /** The operation key as the upstream will receive it (after any conversion). */
  operation: OperationKey;
  stream: boolean;
  /** Gemini streams come as SSE (`alt=sse`) or as one streamed JSON array; other wires always use SSE. */
  streamFormat: StreamFormat;
  upstreamModel: string;
  /** The request body for the upstream, already in the upstream's wire and with its model id. */
  body: string;
  /** Client request headers (lower-case names); the channel forwards only what it allows. */
  clientHeaders: Readonly<Record<string, string>>;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Upstream response headers with lower-case names. */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface UpstreamResponse {
  status: number;
  headers: ResponseHeaders;
  /** The body as it arrives; consumed once. */
  body: AsyncIterable<Uint8Array>;
  /** Releases the connection without reading the rest of the body. */
  discard(): Promise<void>;
}

export type Outcome =
  | { kind: 'success' }
  | { kind: 'auth-dead' }
  | { kind: 'rate-limited'; retryAfterMs: number | undefined }
  | { kind: 'transient' }
  | { kind: 'permanent' };

export interface ClassifyInput {
  status: number;
  headers: ResponseHeaders;
  /** Milliseconds since the epoch, for Retry-After given as an HTTP date. */
  now: number;
}

export interface LocalAnswerInput {
  provider: ProviderContext;
  operation: OperationKey;
  stream: boolean;
  streamFormat: StreamFormat;
  upstreamModel: string;
  /** The parsed client request body. */
  body: unknown;
  signal: AbortSignal;
}

export interface Channel {
  readonly descriptor: ChannelDescriptor;
  /** Decides, per operation key, how this provider serves it. */
  routingRule(operation: OperationKey, provider: ProviderContext): RoutingRule;
  /** Builds the upstream request; throws GatewayError('invalid_request') on bad settings. */
  prepare(input: PrepareInput): UpstreamRequest;
  classify(input: ClassifyInput): Outcome;
  /** Channels that answer in-process (rule `local`) implement this instead of a transport call. */
  answerLocally?(input: LocalAnswerInput): Promise<UpstreamResponse>;
}

export interface TransportTimeouts {
  connectMs: number;
  /** Until the response headers arrive. */
  firstByteMs: number;
  /** Between body chunks. */
  idleMs: number;
}

export interface SendOptions {
  signal: AbortSignal;
  timeouts: TransportTimeouts;
}

/**
 * Sends upstream requests: undici on Node, fetch on the edge. Failures are thrown as
 * GatewayError: `upstream_unreachable` (connect errors, resets; retryable) or
 * `upstream_timeout` (retryable). A client abort rejects with the signal's reason.
 */
export interface Transport {
  send(request: UpstreamRequest, options: SendOptions): Promise<UpstreamResponse>;
  close(): Promise<void>;
}
