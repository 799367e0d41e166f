/**
 * undici and connector failures as the GatewayErrors the pipeline classifies: timeouts and
 * unreachable upstreams (connect errors, resets, proxy failures) are retryable; a client abort is
 * passed through as the signal's reason. Messages name the proxy by label, never with credentials.
 */
import { errors } from 'undici';
import { GatewayError } from '../../../core/errors';
import { ProxyError } from './proxy-config';
import type { TotalDeadline } from './total-deadline';

export interface ErrorContext {
  /** The client's signal (not the combined one with the total deadline). */
  signal: AbortSignal;
  origin: string;
  /** `scheme://host:port` of the proxy in use, if any. */
  proxyLabel: string | undefined;
  deadline: TotalDeadline | null;
}

export function translateError(error: unknown, context: ErrorContext): unknown {
  const { signal, origin, proxyLabel, deadline } = context;
  if (signal.aborted) return signal.reason ?? error;
  if (error instanceof GatewayError) return error;
  const via = proxyLabel === undefined ? '' : ` via proxy ${proxyLabel}`;
  if (deadline?.expired === true) {
    return new GatewayError(
      'upstream_timeout',
      `Upstream ${origin}${via} did not finish within the total timeout of ${deadline.ms} ms.`,
      { retryable: true, cause: error },
    );
  }
  if (error instanceof ProxyError) {
    return new GatewayError('upstream_unreachable', `Upstream ${origin} unreachable: ${error.message}.`, {
      retryable: true,
      cause: error,
    });
  }
  if (
    error instanceof errors.ConnectTimeoutError ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError
  ) {
    return new GatewayError('upstream_timeout', `Upstream ${origin}${via} timed out (${error.name}).`, {
      retryable: true,
      cause: error,
    });
  }
  const code = (error as { code?: unknown }).code;
  const detail = typeof code === 'string' ? code : error instanceof Error ? error.message : 'unknown error';
  return new GatewayError('upstream_unreachable', `Upstream ${origin}${via} unreachable (${detail}).`, {
    retryable: true,
    cause: error,
  });
}
