/**
 * What a channel is. A channel is the code for one upstream family: it prepares the upstream
 * request for an operation key (URL, auth injection, header allow-list), classifies the upstream
 * outcome, and reads usage. It never reads the database or the clock: everything it needs comes in.
 */
import type { OperationKey, UpstreamOperationKey, UpstreamWireKind, WireKind } from '../protocol/operation';

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
  | { kind: 'passthrough' }
  | { kind: 'convert'; to: UpstreamWireKind }
  | { kind: 'local' }
  | { kind: 'unsupported' };

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
  /** The operation key as the upstream will receive it (after any conversion, maybe to an upstream-only wire). */
  operation: UpstreamOperationKey;
  stream: boolean;
  /** Gemini streams come as SSE (`alt=sse`) or as one streamed JSON array; other wires always use SSE. */
  streamFormat: StreamFormat;
  upstreamModel: string;
  /** The request body for the upstream, already in the upstream's wire and with its model id. */
  body: string;
  /** Client request headers (lower-case names); the channel forwards only what it allows. */
  clientHeaders: Readonly<Record<string, string>>;
  services: ChannelServices;
  signal: AbortSignal;
  /**
   * The rule-set header edits of this attempt (docs/rule-sets.md), when there are any. The caller
   * applies them to the prepared request; a channel that signs its headers (aws-bedrock, SigV4)
   * must also apply them before signing, so the signature covers the final headers. Every edit is
   * idempotent, so the second application changes nothing.
   */
  editHeaders?: (headers: Record<string, string>) => void;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** How to reach the upstream: proxy and TLS profile (credential > provider > instance setting). */
  dispatch?: DispatchOptions;
}

/** TLS options Node supports, per provider or credential. */
export interface TlsProfile {
  ciphers?: string;
  /** ECDH curves, e.g. `X25519:P-256`. */
  ecdhCurve?: string;
  sigalgs?: string;
  alpnProtocols?: string[];
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Extra CA certificates (PEM), e.g. for a private endpoint. */
  ca?: string;
  /** Only for tests and private endpoints: skip certificate verification. */
  rejectUnauthorized?: boolean;
}

export interface DispatchOptions {
  /** `http://`, `https://` or `socks5://` proxy URL, with credentials in the URL if needed. */
  proxy?: string;
  tls?: TlsProfile;
}

/** A per-process cache for state derived from credentials (e.g. OAuth access tokens). */
export interface ChannelCache {
  get(key: string): string | undefined;
  /** `expiresAt` in milliseconds since the epoch. */
  set(key: string, value: string, expiresAt: number): void;
}

/** What a channel may use besides its inputs: the time, a cache, and auxiliary HTTP calls. */
export interface ChannelServices {
  /** Milliseconds since the epoch. */
  now: number;
  cache: ChannelCache;
  /** Sends an auxiliary request (e.g. a token exchange) through the gateway's transport. */
  fetchText(request: UpstreamRequest, signal: AbortSignal): Promise<{ status: number; body: string }>;
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
  /**
   * Decides, per operation key, how this provider serves it. `upstreamModel` is the route member's
   * model, for channels whose upstream API depends on the model (aws-bedrock).
   */
  routingRule(operation: OperationKey, provider: ProviderContext, upstreamModel?: string): RoutingRule;
  /**
   * Builds the upstream request; throws GatewayError('invalid_request') on bad settings. May be
   * async when auth needs a derived credential (e.g. an OAuth token from a service account).
   */
  prepare(input: PrepareInput): UpstreamRequest | Promise<UpstreamRequest>;
  /**
   * Optional stream decoder: turns the upstream's own framing (e.g. AWS event-stream) into the
   * native wire's bytes (SSE events of the operation key's wire), so the rest of the pipeline
   * treats it like any upstream of that wire.
   */
  adaptResponse?(response: UpstreamResponse, input: PrepareInput): UpstreamResponse;
  /** The upstream's live model list (the admin API's "pull models"), when it has one. */
  listModels?: ModelListing;
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
  /**
   * The whole exchange, from sending to the last body byte (GPROXY_TOTAL_TIMEOUT_MS). Absent: no
   * bound, and no timer is created per request.
   */
  totalMs?: number;
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

export interface ModelListInput {
  provider: ProviderContext;
  credential: CredentialContext;
  services: ChannelServices;
}

export interface ModelListing {
  request(input: ModelListInput): UpstreamRequest | Promise<UpstreamRequest>;
  /** Model ids from the upstream's answer; throws GatewayError('upstream_bad_response') on garbage. */
  parse(body: unknown): string[];
}
