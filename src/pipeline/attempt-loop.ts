/**
 * The attempt loop: candidates in plan order within the attempt budget. A candidate whose
 * credential is cooling down, has an open breaker, or has spent its RPM/TPM budget is skipped
 * without an attempt; every real attempt's outcome is recorded in the health book. A success or
 * a permanent error ends the loop; retryable outcomes move on. When nothing could even be tried,
 * the answer is immediate: 429 (all rate-limited or over budget) or 503, with a Retry-After.
 */
import type { Clock } from '../core/clock';
import { GatewayError, toGatewayError } from '../core/errors';
import type { AttemptTrace } from './attempt-trace';
import type { CredentialBudgets } from './credentials/budgets';
import type { CanonicalRequestSource } from './convert/request-conversion';
import type { Exchange } from './exchange';
import type { GatewayRequest } from './gateway-request';
import { providerKey } from './health-admin';
import type { HealthBook } from './health/health-book';
import type { HealthKey, ProbeTicket } from './health/types';
import type { Candidate } from './plan';
import { sendAttempt, type SendDeps } from './send-attempt';

export interface AttemptLoopDeps {
  send: SendDeps;
  health: HealthBook;
  budgets: CredentialBudgets;
  clock: Clock;
  maxAttempts: number;
}

export function healthKeyOf(candidate: Candidate): HealthKey {
  const credentialId = candidate.credential?.id ?? providerKey(candidate.member.provider.id);
  return { credentialId, model: candidate.member.upstreamModel };
}

export async function runAttempts(
  deps: AttemptLoopDeps,
  request: GatewayRequest,
  canonical: CanonicalRequestSource,
  candidates: readonly Candidate[],
  trace: AttemptTrace,
  signal: AbortSignal,
): Promise<Exchange> {
  let lastExchange: Exchange | null = null;
  let lastError: GatewayError | null = null;
  let earliestRetryAt = Number.POSITIVE_INFINITY;
  let onlyRateLimits = true;
  const holdOff = (retryAt: number, rateLimited: boolean): void => {
    earliestRetryAt = Math.min(earliestRetryAt, retryAt);
    onlyRateLimits &&= rateLimited;
  };

  for (const candidate of candidates) {
    if (trace.attempts >= deps.maxAttempts) break;
    const now = deps.clock.now();
    const key = healthKeyOf(candidate);
    const provider = candidate.member.provider.name;
    const refusal = deps.health.check(key, now);
    if (refusal !== null) {
      trace.skip(provider, `${candidate.credential?.label ?? '-'}: ${refusal.reason}`);
      holdOff(refusal.retryAtMs, refusal.reason === 'rate-limited');
      continue;
    }
    const credential = candidate.credential;
    if (credential !== null && !deps.budgets.tryAcquire(credential.id, credential, now)) {
      trace.skip(provider, `${credential.label}: budget exhausted`);
      holdOff(deps.budgets.nextWindowAt(now), true);
      continue;
    }
    const admission = deps.health.admit(key, now);
    if (!admission.allowed) {
      trace.skip(provider, `${credential?.label ?? '-'}: ${admission.reason}`);
      holdOff(admission.retryAtMs, admission.reason === 'rate-limited');
      continue;
    }
    if (lastExchange !== null) await lastExchange.upstream.discard();
    lastExchange = null;
    const probe: ProbeTicket | null = admission.probe;
    const started = trace.begin(candidate);
    let sent: Omit<Exchange, 'candidate'>;
    try {
      sent = await sendAttempt(deps.send, request, canonical, candidate, signal);
    } catch (error) {
      if (request.signal.aborted) {
        if (probe !== null) deps.health.release(key, probe);
        throw new GatewayError('upstream_error', 'Client closed the request.', { cause: error });
      }
      const failure = toGatewayError(error);
      trace.end(started, failure.code, null);
      if (failure.retryable) deps.health.record(key, { kind: 'transient' }, deps.clock.now(), probe);
      else if (probe !== null) deps.health.release(key, probe);
      if (!failure.retryable) throw failure;
      lastError = failure;
      continue;
    }
    const exchange: Exchange = { candidate, ...sent };
    const outcome = candidate.channel.classify({
      status: exchange.upstream.status,
      headers: exchange.upstream.headers,
      now: deps.clock.now(),
    });
    trace.end(started, outcome.kind, exchange.upstream.status);
    deps.health.record(key, outcome, deps.clock.now(), probe);
    if (outcome.kind === 'success' || outcome.kind === 'permanent') return exchange;
    lastExchange = exchange;
  }

  // Every candidate tried failed: answer with the last upstream error (converted if need be).
  if (lastExchange !== null) return lastExchange;
  if (lastError !== null) throw lastError;
  const waitSeconds = Number.isFinite(earliestRetryAt)
    ? Math.max(1, Math.ceil((earliestRetryAt - deps.clock.now()) / 1000))
    : 1;
  const everyoneRateLimited = Number.isFinite(earliestRetryAt) && onlyRateLimits;
  throw new GatewayError(
    everyoneRateLimited ? 'rate_limited' : 'no_available_candidate',
    `No provider can serve the model '${request.model}' right now; retry in ${waitSeconds}s.`,
    { retryAfterSeconds: waitSeconds },
  );
}
