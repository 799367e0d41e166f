/**
 * The audit trail: one record per admin mutation and console sign-in — who, what, on which
 * target, when, from where, and how it ended. Never secrets: the target is the request path,
 * bodies are not kept.
 */

export interface AuditRecord {
  id: string;
  /** ISO-8601 time. */
  createdAt: string;
  /** The admin user's name; null when nobody was authenticated (a failed sign-in). */
  actor: string | null;
  /** `METHOD /admin/route/:pattern`, e.g. `PATCH /admin/providers/:name`. */
  action: string;
  /** The path as requested, e.g. `/admin/providers/openai-main`. */
  target: string;
  /** The HTTP status answered. */
  status: number;
  sourceAddress: string | null;
}

/** Newest first. `before` is the cursor a previous page answered. */
export interface AuditQuery {
  actor?: string | undefined;
  action?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  limit: number;
  before?: string | undefined;
}

export interface Page<T> {
  data: T[];
  /** Pass as `before` for the next (older) page; null when this was the last. */
  next: string | null;
}

export interface AuditStore {
  insertAudit(record: AuditRecord): Promise<void>;
  queryAudit(query: AuditQuery): Promise<Page<AuditRecord>>;
}

/** Reading the usage ledger (newest first); names are matched exactly. */
export interface UsageQuery {
  userId?: string | undefined;
  providerName?: string | undefined;
  routeName?: string | undefined;
  upstreamModel?: string | undefined;
  endState?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  limit: number;
  before?: string | undefined;
}
