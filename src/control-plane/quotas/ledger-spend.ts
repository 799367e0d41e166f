/**
 * What a subject has spent according to the usage ledger, read from the hourly rollups: the source
 * that quota counters are rebuilt from when the cache backend lost them (docs/tenancy.md,
 * "Quotas", and decision 0013). Sums are grouped by route and provider/upstream model so that a
 * quota's route glob can be applied to them afterwards.
 */
import type { RateLimitSubjectKind } from '../model';

export interface LedgerSpendQuery {
  /** Which rollup column the ids are matched against: org, team, user or key (user_key_id). */
  subjectKind: RateLimitSubjectKind;
  /** The subjects to sum for (any number; the store splits long lists). */
  subjectIds: readonly string[];
  /** Hours starting at or after this ISO time (a window's start: always a whole hour). */
  since: string;
}

/** The spend of one subject on one route x provider x upstream model since the query's time. */
export interface LedgerSpend {
  subjectId: string;
  routeName: string | null;
  providerName: string | null;
  upstreamModel: string | null;
  /** Exact sum of the priced requests' cost, pico-USD as a decimal integer string. */
  costPicoUsd: string;
}

export interface LedgerSpendReader {
  /** Spend per subject, route, provider and upstream model; groups that cost nothing may be left out. */
  sumLedgerSpend(query: LedgerSpendQuery): Promise<LedgerSpend[]>;
}
