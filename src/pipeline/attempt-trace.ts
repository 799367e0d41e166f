/**
 * The attempt trace of one request: each candidate tried (or skipped, and why), its outcome class,
 * status and latency. It feeds the `x-gproxy-route` header and the request's log record.
 */
import type { Clock } from '../core/clock';
import type { Candidate } from './plan';

export interface AttemptEntry {
  provider: string;
  /** The member's index in the route's configured member list; null for direct addressing. */
  member: number | null;
  credential: string | null;
  model: string | null;
  /** Outcome class: success, permanent, transient, rate-limited, auth-dead; or `skipped`. */
  outcome: string;
  status: number | null;
  latencyMs: number | null;
  /** The gateway error code of a failure without an upstream status (connect error, timeout, reset). */
  error?: string;
  /** Why the candidate was skipped, or how it came first (affinity). */
  reason?: string;
  /** The provider's rule sets that edited this attempt (docs/rule-sets.md), in order. */
  ruleSets?: string[];
}

export interface AttemptHandle {
  entry: AttemptEntry;
  startedAt: number;
}

/** `-` for values that do not apply; header values must be printable ASCII, names might not be. */
const field = (value: string | number | null | undefined): string =>
  value === null || value === undefined
    ? '-'
    : String(value)
        .replace(/[^\x21-\x7e]/g, '?')
        .replace(/;/g, '?');

export class AttemptTrace {
  readonly entries: AttemptEntry[] = [];
  private count = 0;
  /** The candidate of the latest real attempt (the one an error answer comes from). */
  last: Candidate | null = null;

  constructor(private readonly clock: Clock) {}

  get attempts(): number {
    return this.count;
  }

  /** A member that produced no candidate at all (planning). */
  skip(provider: string, reason: string, member: number | null = null, model: string | null = null): void {
    this.entries.push({
      provider,
      member,
      credential: null,
      model,
      outcome: 'skipped',
      status: null,
      latencyMs: null,
      reason,
    });
  }

  /** A candidate passed over without an attempt (health, budget). */
  skipCandidate(candidate: Candidate, reason: string): void {
    this.entries.push({ ...entryOf(candidate), outcome: 'skipped', reason });
  }

  /** Starts an attempt; returns a handle for end(). */
  begin(candidate: Candidate, reason?: string): AttemptHandle {
    this.count++;
    this.last = candidate;
    const entry: AttemptEntry = { ...entryOf(candidate), outcome: 'pending' };
    if (reason !== undefined) entry.reason = reason;
    this.entries.push(entry);
    return { entry, startedAt: this.clock.now() };
  }

  /** Ends an attempt; returns its latency in ms. */
  end(handle: AttemptHandle, outcome: string, status: number | null, error?: string): number {
    handle.entry.outcome = outcome;
    handle.entry.status = status;
    handle.entry.latencyMs = this.clock.now() - handle.startedAt;
    if (error !== undefined) handle.entry.error = error;
    return handle.entry.latencyMs;
  }

  /**
   * The `x-gproxy-route` value:
   * `route=gpt-fast; member=1; provider=oa; model=gpt-4o-mini; credential=main; attempts=2`.
   * `member` is the index in the route's member list; `-` marks what does not apply.
   */
  describe(routeName: string | null, candidate: Candidate | null = this.last): string {
    const member = candidate?.member.member?.position;
    return [
      `route=${field(routeName)}`,
      `member=${field(member)}`,
      `provider=${field(candidate?.member.provider.name)}`,
      `model=${field(candidate?.member.upstreamModel)}`,
      `credential=${field(candidate?.credential?.label)}`,
      `attempts=${this.count}`,
    ].join('; ');
  }
}

function entryOf(candidate: Candidate): AttemptEntry {
  return {
    provider: candidate.member.provider.name,
    member: candidate.member.member?.position ?? null,
    credential: candidate.credential?.label ?? null,
    model: candidate.member.upstreamModel,
    outcome: 'pending',
    status: null,
    latencyMs: null,
  };
}
