/**
 * The attempt trace of one request: each candidate tried (or skipped), its outcome and latency.
 * It feeds the `x-gproxy-route` header and the request's log record.
 */
import type { Clock } from '../core/clock';
import type { Candidate } from './plan';

export interface AttemptEntry {
  provider: string;
  credential: string | null;
  model: string | null;
  /** Outcome class (success, permanent, transient, rate-limited, auth-dead), an error code, or `skipped`. */
  outcome: string;
  status: number | null;
  latencyMs: number | null;
  reason?: string;
}

export class AttemptTrace {
  readonly entries: AttemptEntry[] = [];
  private count = 0;

  constructor(private readonly clock: Clock) {}

  get attempts(): number {
    return this.count;
  }

  skip(provider: string, reason: string): void {
    this.entries.push({
      provider,
      credential: null,
      model: null,
      outcome: 'skipped',
      status: null,
      latencyMs: null,
      reason,
    });
  }

  /** Starts an attempt; returns a handle for end(). */
  begin(candidate: Candidate): { entry: AttemptEntry; startedAt: number } {
    this.count++;
    const entry: AttemptEntry = {
      provider: candidate.member.provider.name,
      credential: candidate.credential?.label ?? null,
      model: candidate.member.upstreamModel,
      outcome: 'pending',
      status: null,
      latencyMs: null,
    };
    this.entries.push(entry);
    return { entry, startedAt: this.clock.now() };
  }

  end(handle: { entry: AttemptEntry; startedAt: number }, outcome: string, status: number | null): void {
    handle.entry.outcome = outcome;
    handle.entry.status = status;
    handle.entry.latencyMs = this.clock.now() - handle.startedAt;
  }

  /** `route=gpt-fast; provider=oa; model=gpt-4o-mini; credential=main; attempts=2` */
  describe(routeName: string | null, candidate: Candidate): string {
    const parts = [
      `route=${routeName ?? '-'}`,
      `provider=${candidate.member.provider.name}`,
      `model=${candidate.member.upstreamModel}`,
      `credential=${candidate.credential?.label ?? '-'}`,
      `attempts=${this.count}`,
    ];
    // Header values must be printable ASCII; configured names might not be.
    return parts.join('; ').replace(/[^\x20-\x7e]/g, '?');
  }
}
