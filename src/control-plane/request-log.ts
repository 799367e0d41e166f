/**
 * The request log: one record per request the instance settings select (`request_log`: off,
 * errors, all), with the attempt trace that explains its routing; when `capture_bodies` is on,
 * the client's request headers and body, and when `capture_responses` is on, the answer the client
 * received (and the upstream's own error body) — all redacted (core/redact.ts) and cut to
 * `capture_max_bytes`. Written in batches off the request path, read at /admin/request-logs,
 * pruned by `request_log_retention_days`.
 */
import type { Operation, WireKind } from '../protocol/operation';
import type { EndState } from './usage-record';

export interface RequestLogRecord {
  requestId: string;
  createdAt: string;
  userId: string | null;
  operation: Operation;
  clientWire: WireKind;
  /** The model name the client asked for. */
  model: string | null;
  routeName: string | null;
  status: number;
  endState: EndState;
  errorCode: string | null;
  latencyMs: number;
  /** The `x-gproxy-route` value the client got. */
  routeHeader: string | null;
  /** Every candidate tried or skipped, with outcome, status and latency (pipeline/attempt-trace.ts). */
  attempts: unknown;
  /** Conversion warnings, when any. */
  warnings: unknown;
  /** Captured only with `capture_bodies`; redacted. */
  requestHeaders: Record<string, string> | null;
  requestBody: string | null;
  /**
   * The answer the client received, captured only with `capture_responses` (null otherwise): its
   * status (a keep-alive stream's 200 even when the answer then failed inside it), headers and
   * body, redacted; streams as they passed. The body is cut at `capture_max_bytes` (with a
   * `…[truncated N bytes]` marker): `responseTruncated` says so, `responseBodyBytes` is the whole
   * size.
   */
  responseStatus: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  responseBodyBytes: number | null;
  responseTruncated: boolean | null;
  /**
   * With `capture_responses`: the upstream's own error body when it answered with an error
   * (redacted, capped); a converted request's client got it re-expressed in its own wire.
   */
  upstreamErrorBody: string | null;
}

export interface RequestLogQuery {
  userId?: string | undefined;
  routeName?: string | undefined;
  status?: number | undefined;
  endState?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  limit: number;
  before?: string | undefined;
}

/** Receives request log records off the request path; implementations batch and flush. */
export interface RequestLogSink {
  record(record: RequestLogRecord): void;
}
