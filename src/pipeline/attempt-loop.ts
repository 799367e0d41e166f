/**
 * The attempt loop: candidates in plan order within the attempt budget. A candidate whose
 * credential is cooling down, has an open breaker, or has spent its RPM/TPM budget is skipped
 * without an attempt; every real attempt's outcome is recorded in the health book. Budgets may be
 * counted in the shared cache (credentials/shared-budgets.ts): only then does a budget check wait. A success or
 * a permanent error ends the loop; auth-dead, rate-limited and transient outcomes (5xx, connect
 * errors, resets, timeouts, also while the answer is primed: prime-answer.ts) move on. When
 * nothing could even be tried, the answer is immediate: 429 (all rate-limited or over budget) or
 * 503, with a Retry-After.
 */
import type { Clock } from '../core/clock';
import { GatewayError, toGatewayError } from '../core/errors';
import type { AttemptHandle, AttemptTrace } from './attempt-trace';
import type { BudgetGate } from './credentials/budgets';
import type { CanonicalRequestSource } from './convert/request-conversion';
import type { Exchange } from './exchange';
import type { GatewayRequest } from './gateway-request';
import { providerKey } from './health-admin';
import type { HealthBook } from './health/health-book';
import type { HealthKey, ProbeTicket } from './health/types';
import type { Candidate } from './plan';
import { primeAnswer } from './prime-answer';
import { sendAttempt, type SendDeps } from './send-attempt';

export interface AttemptLoopDeps {
  send: SendDeps;
  health: HealthBook;
  budgets: BudgetGate;
  clock: Clock;
  maxAttempts: number;
  /** Largest whole answer read into memory while priming. */
  maxResponseBytes: number;
  /** A candidate answered successfully after `latencyMs` (least_latency learns from it). */
  onAnswered?: (candidate: Candidate, latencyMs: number) => void;
}

/** Trace notes per candidate (e.g. that it came first by affinity). */
export type CandidateNotes = ReadonlyMap<Candidate, string>;

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
  notes: CandidateNotes = new Map(),
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
    if (trace.attempts >= deps.maxAttempts) {
      trace.skipCandidate(candidate, `attempt budget of ${deps.maxAttempts} spent`);
      break;
    }
    const now = deps.clock.now();
    const key = healthKeyOf(candidate);
    const refusal = deps.health.check(key, now);
    if (refusal !== null) {
      trace.skipCandidate(candidate, refusal.reason);
      holdOff(refusal.retryAtMs, refusal.reason === 'rate-limited');
      continue;
    }
    const admission = deps.health.admit(key, now);
    if (!admission.allowed) {
      trace.skipCandidate(candidate, admission.reason);
      holdOff(admission.retryAtMs, admission.reason === 'rate-limited');
      continue;
    }
    const probe: ProbeTicket | null = admission.probe;
    // After health admission, so a shared budget unit is not spent on a candidate health refuses.
    const credential = candidate.credential;
    if (credential !== null) {
      let withinBudget = deps.budgets.tryAcquire(credential.id, credential, now);
      if (typeof withinBudget !== 'boolean') {
        try {
          withinBudget = await withinBudget;
        } catch (error) {
          // A failing budget check ends the loop: give back what this iteration holds first.
          if (probe !== null) deps.health.release(key, probe);
          if (lastExchange !== null) await lastExchange.upstream.discard();
          throw error;
        }
      }
      if (!withinBudget) {
        if (probe !== null) deps.health.release(key, probe);
        trace.skipCandidate(candidate, 'budget exhausted');
        holdOff(deps.budgets.nextWindowAt(now), true);
        continue;
      }
    }
    if (lastExchange !== null) await lastExchange.upstream.discard();
    lastExchange = null;
    const started = trace.begin(candidate, notes.get(candidate));
    let exchange: Exchange;
    try {
      exchange = { candidate, ...(await sendAttempt(deps.send, request, canonical, candidate, signal)) };
      const ruleSets = exchange.rules?.ruleSets;
      if (ruleSets !== undefined && ruleSets.length > 0) started.entry.ruleSets = [...ruleSets];
    } catch (error) {
      lastError = failed(deps, request, key, probe, trace, started, error);
      continue;
    }
    const outcome = candidate.channel.classify({
      status: exchange.upstream.status,
      headers: exchange.upstream.headers,
      now: deps.clock.now(),
    });
    if (outcome.kind === 'success') {
      try {
        exchange = await primeAnswer(exchange, request, deps.maxResponseBytes);
      } catch (error) {
        await exchange.upstream.discard();
        lastError = failed(deps, request, key, probe, trace, started, error);
        continue;
      }
    }
    const latencyMs = trace.end(started, outcome.kind, exchange.upstream.status);
    deps.health.record(key, outcome, deps.clock.now(), probe);
    if (outcome.kind === 'success') deps.onAnswered?.(candidate, latencyMs);
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

/**
 * An attempt that failed without an answer (transport error, or a reset or timeout while priming):
 * retryable failures count as transient and return the error for the next candidate; anything
 * else (or the client leaving) ends the loop by throwing.
 */
function failed(
  deps: AttemptLoopDeps,
  request: GatewayRequest,
  key: HealthKey,
  probe: ProbeTicket | null,
  trace: AttemptTrace,
  started: AttemptHandle,
  error: unknown,
): GatewayError {
  if (request.signal.aborted) {
    if (probe !== null) deps.health.release(key, probe);
    trace.end(started, 'client-aborted', null);
    throw new GatewayError('upstream_error', 'Client closed the request.', { cause: error });
  }
  const failure = toGatewayError(error);
  trace.end(started, failure.retryable ? 'transient' : 'failed', null, failure.code);
  if (failure.retryable) deps.health.record(key, { kind: 'transient' }, deps.clock.now(), probe);
  else if (probe !== null) deps.health.release(key, probe);
  if (!failure.retryable) throw failure;
  return failure;
}
