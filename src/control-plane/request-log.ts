/**
 * The request log: one record per request the instance settings select (`request_log`: off,
 * errors, all), with the attempt trace that explains its routing and, when `capture_bodies` is on,
 * the client's request headers and body — redacted (core/redact.ts) and cut to
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
