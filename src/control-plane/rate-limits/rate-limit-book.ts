/**
 * Rate limits compiled for the hot path, built once with the snapshot: per subject (org, team,
 * user, key) its limits with the route globs compiled, looked up along a key's chain
 * (subject-book.ts, shared with quotas).
 */
import type { ControlPlaneData, RateLimitRecord, RateLimitSubjectKind, RateLimitValues } from '../model';
import { buildSubjectBook, type SubjectBook } from '../subject-book';
import { compileGlob } from './rate-limit-entry';

export interface CompiledRateLimit {
  readonly id: string;
  readonly name: string;
  readonly subjectKind: RateLimitSubjectKind;
  readonly subjectId: string;
  /** Null: every request of the subject. */
  readonly route: RegExp | null;
  readonly limits: Readonly<RateLimitValues>;
}

export type RateLimitBook = SubjectBook<CompiledRateLimit>;

export function compileRateLimit(record: RateLimitRecord): CompiledRateLimit {
  return Object.freeze({
    id: record.id,
    name: record.name,
    subjectKind: record.subjectKind,
    subjectId: record.subjectId,
    route: record.limits.route === null ? null : compileGlob(record.limits.route),
    limits: Object.freeze({ ...record.limits }),
  });
}

export function buildRateLimitBook(data: Pick<ControlPlaneData, 'rateLimits' | 'teams'>): RateLimitBook {
  return buildSubjectBook(data.rateLimits, data.teams, compileRateLimit);
}
