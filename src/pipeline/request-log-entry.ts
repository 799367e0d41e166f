/**
 * The request-log record of a settled request, when the instance settings ask for one
 * (`request_log`: errors or all), with the client's headers and body captured — redacted and
 * capped — when `capture_bodies` is on, and the answer the client received when
 * `capture_responses` is on (response-capture.ts).
 */
import { redactBody, redactHeaders } from '../core/redact';
import type { InstanceSettings } from '../control-plane/instance-settings';
import type { RequestLogRecord, RequestLogSink } from '../control-plane/request-log';
import type { AttemptTrace } from './attempt-trace';
import type { RespondEnd } from './respond';
import type { CapturedResponse, ResponseCapture } from './response-capture';
import type { SettleFacts } from './settle';

type Facts = Pick<SettleFacts, 'request' | 'identity' | 'routeName' | 'candidate'>;

const decoder = new TextDecoder();

export function requestLogEntry(
  settings: InstanceSettings,
  facts: Facts,
  trace: AttemptTrace,
  end: RespondEnd,
  endedAt: number,
): RequestLogRecord | null {
  if (settings.request_log === 'off') return null;
  if (settings.request_log === 'errors' && end.endState === 'complete' && end.status < 400) return null;
  const { request } = facts;
  const capture = settings.capture_bodies;
  const upstreamError = settings.capture_responses ? end.upstreamErrorBody : undefined;
  return {
    requestId: request.requestId,
    createdAt: new Date(request.receivedAt).toISOString(),
    userId: facts.identity.user.id,
    operation: request.operation.operation,
    clientWire: request.operation.wire,
    model: request.model,
    routeName: facts.routeName,
    status: end.status,
    endState: end.endState,
    errorCode: end.errorCode,
    latencyMs: endedAt - request.receivedAt,
    routeHeader: trace.entries.length === 0 ? null : trace.describe(facts.routeName, facts.candidate),
    attempts: trace.entries,
    warnings: end.warnings !== undefined && end.warnings.length > 0 ? end.warnings : null,
    requestHeaders: capture ? redactHeaders(request.headers) : null,
    requestBody: capture ? redactBody(request.bodyText, settings.capture_max_bytes) : null,
    responseStatus: null,
    responseHeaders: null,
    responseBody: null,
    responseBodyBytes: null,
    responseTruncated: null,
    upstreamErrorBody:
      upstreamError === undefined
        ? null
        : redactBody(decoder.decode(upstreamError), settings.capture_max_bytes),
  };
}

/**
 * Hands the record to the sink: at once, or — when the answer is being captured — once the
 * client's answer has ended, with it.
 */
export function recordRequestLog(
  sink: RequestLogSink,
  record: RequestLogRecord,
  capture: ResponseCapture | null,
): void {
  if (capture === null) sink.record(record);
  else capture.whenEnded((response) => sink.record(withResponse(record, response)));
}

function withResponse(record: RequestLogRecord, response: CapturedResponse): RequestLogRecord {
  return {
    ...record,
    responseStatus: response.status,
    responseHeaders: response.headers,
    responseBody: response.body,
    responseBodyBytes: response.bodyBytes,
    responseTruncated: response.truncated,
  };
}
