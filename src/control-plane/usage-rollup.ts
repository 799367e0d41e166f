/**
 * Hourly rollups of the usage ledger: sums per hour x org x team x user x key x route x provider x
 * upstream model, maintained as usage batches are written (exactly once per usage record), so
 * dashboards and self-service reads need not scan raw records.
 */
import type { Page } from './audit-record';

export interface UsageRollup {
  /** Start of the hour, ISO-8601 UTC. */
  hour: string;
  orgId: string | null;
  teamId: string | null;
  userId: string | null;
  userKeyId: string | null;
  routeName: string | null;
  providerName: string | null;
  upstreamModel: string | null;
  requests: number;
  /** Requests that did not end `complete`. */
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheCreationTokens: number;
  reasoningTokens: number;
  /** Exact sum of the priced requests' cost, pico-USD as a decimal integer string. */
  costPicoUsd: string;
  /** Requests with billable usage but no price rule (their cost is not in costPicoUsd). */
  unpricedRequests: number;
}

/** Newest hour first; names and ids matched exactly. */
export interface UsageRollupQuery {
  orgId?: string | undefined;
  teamId?: string | undefined;
  userId?: string | undefined;
  userKeyId?: string | undefined;
  routeName?: string | undefined;
  providerName?: string | undefined;
  upstreamModel?: string | undefined;
  /** Hours starting at or after this ISO time. */
  since?: string | undefined;
  /** Hours starting before this ISO time. */
  until?: string | undefined;
  limit: number;
  before?: string | undefined;
}

export interface UsageRollupReader {
  queryUsageRollups(query: UsageRollupQuery): Promise<Page<UsageRollup>>;
}

/** The start of the hour an ISO time falls in. */
export function hourOf(iso: string): string {
  const ms = Date.parse(iso);
  return new Date(ms - (((ms % 3_600_000) + 3_600_000) % 3_600_000)).toISOString();
}
