/**
 * Ports the control plane and the pipeline need from the outside world. Persistence and cache
 * backends (src/store) implement them; runtimes wire them in.
 */
import type { AuditQuery, AuditRecord, Page, UsageQuery } from './audit-record';
import type { ControlPlaneData, UserKeyRecord, UserRecord } from './model';
import type { LedgerSpend, LedgerSpendQuery } from './quotas/ledger-spend';
import type { RequestLogQuery, RequestLogRecord } from './request-log';
import type { UsageRecord } from './usage-record';
import type { UsageRollup, UsageRollupQuery } from './usage-rollup';

/** The records retention prunes by age (usage rollups by the start of their hour). */
export type PrunableRecords = 'usage' | 'usage-rollups' | 'audit' | 'request-logs';

export interface ControlPlaneStore {
  /** Reads every control-plane record in one round (one read transaction). */
  loadControlPlane(): Promise<ControlPlaneData>;
  /**
   * Makes the stored control plane equal to `next` in one transaction: rows are matched by id,
   * inserted, updated, or deleted when absent from `next`.
   */
  saveControlPlane(next: ControlPlaneData): Promise<void>;
  /** A stamp that every control-plane write increases; instances poll it to know when to reload. */
  readControlPlaneVersion(): Promise<number>;
  countUsers(): Promise<number>;
  /** Creates one user with its keys (first boot). */
  createUser(user: UserRecord, keys: UserKeyRecord[]): Promise<void>;
  /**
   * Appends usage records; a record whose request id is already stored is ignored. The hourly
   * rollups are added to in the same transaction, for the newly stored records only.
   */
  insertUsage(records: UsageRecord[]): Promise<void>;
  /** Appends one audit record (admin mutations, console sign-ins). */
  insertAudit(record: AuditRecord): Promise<void>;
  queryAudit(query: AuditQuery): Promise<Page<AuditRecord>>;
  /** Usage records, newest first. */
  queryUsage(query: UsageQuery): Promise<Page<UsageRecord>>;
  /** Hourly usage rollups, newest hour first (kept up to date by insertUsage). */
  queryUsageRollups(query: UsageRollupQuery): Promise<Page<UsageRollup>>;
  /**
   * Sums the rollups' cost per subject, route, provider and upstream model since an hour (what
   * quota counters are rebuilt from: pipeline/quota-seeding).
   */
  sumLedgerSpend(query: LedgerSpendQuery): Promise<LedgerSpend[]>;
  /** Appends request log records; a request id already logged is ignored. */
  insertRequestLogs(records: RequestLogRecord[]): Promise<void>;
  queryRequestLogs(query: RequestLogQuery): Promise<Page<RequestLogRecord>>;
  /**
   * Deletes records created before `beforeIso` (retention; usage rollups: those whose hour starts
   * before it); resolves to the count.
   */
  pruneRecords(kind: PrunableRecords, beforeIso: string): Promise<number>;
  close(): Promise<void>;
}

/** Receives usage records off the request path; implementations batch and flush. */
export interface UsageSink {
  record(record: UsageRecord): void;
  /** Writes everything pending; resolves when it is stored. */
  flush(): Promise<void>;
}
