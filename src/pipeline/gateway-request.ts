/**
 * What the pipeline takes in and gives back. The http layer builds a GatewayRequest from the HTTP
 * request (classification and body peek) and turns the GatewayResponse into an HTTP response.
 */
import type { StreamFormat } from '../channel/contract';
import type { OperationKey } from '../protocol/operation';

export interface GatewayRequest {
  requestId: string;
  /** Milliseconds since the epoch when the request arrived. */
  receivedAt: number;
  operation: OperationKey;
  stream: boolean;
  streamFormat: StreamFormat;
  /** The model name the client asked for. */
  model: string;
  /** True when the wire carries the model in the URL path (Gemini), not in the body. */
  modelInPath: boolean;
  /** The body exactly as received; passthrough forwards it without re-serializing. */
  bodyText: string;
  /** The parsed body. */
  body: unknown;
  /** Client headers with lower-case names. */
  headers: Readonly<Record<string, string>>;
  /** The client's `x-gproxy-session-id` (route affinity); removed from `headers`. */
  sessionId?: string;
  /** Set on scoped endpoints (`/{provider}/v1/...`): the model is that provider's own model id. */
  scopeProvider?: string;
  /** The user API key the client presented, if any. */
  presentedKey: string | undefined;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
}

export type ResponseBody = string | Uint8Array | AsyncIterable<Uint8Array>;

export interface GatewayResponse {
  status: number;
  headers: Record<string, string>;
  body: ResponseBody;
}
