/**
 * Retention: usage records, usage rollups, audit records and request logs older than the instance
 * settings allow are deleted, by age.
 * The runtime runs this at start and then periodically; every instance may run it (deleting the
 * same old rows twice is harmless).
 */
import type { Logger } from '../core/logger';
import type { InstanceSettings } from './instance-settings';
import type { ControlPlaneStore } from './ports';

const DAY_MS = 86_400_000;

export interface RetentionOutcome {
  usage: number;
  usageRollups: number;
  audit: number;
  requestLogs: number;
}

export async function applyRetention(
  store: Pick<ControlPlaneStore, 'pruneRecords'>,
  settings: InstanceSettings,
  nowMs: number,
): Promise<RetentionOutcome> {
  const cutoff = (days: number | null): string | null =>
    days === null ? null : new Date(nowMs - days * DAY_MS).toISOString();
  const usageCutoff = cutoff(settings.usage_retention_days);
  const rollupCutoff = cutoff(settings.rollup_retention_days);
  const auditCutoff = cutoff(settings.audit_retention_days);
  const logCutoff = cutoff(settings.request_log_retention_days);
  return {
    usage: usageCutoff === null ? 0 : await store.pruneRecords('usage', usageCutoff),
    usageRollups: rollupCutoff === null ? 0 : await store.pruneRecords('usage-rollups', rollupCutoff),
    audit: auditCutoff === null ? 0 : await store.pruneRecords('audit', auditCutoff),
    requestLogs: logCutoff === null ? 0 : await store.pruneRecords('request-logs', logCutoff),
  };
}

/** Runs retention now and then every `intervalMs`, without keeping the process alive. */
export function scheduleRetention(
  run: () => Promise<RetentionOutcome>,
  intervalMs: number,
  logger: Logger,
): () => void {
  const tick = (): void => {
    run().then(
      (outcome) => {
        if (outcome.usage + outcome.usageRollups + outcome.audit + outcome.requestLogs > 0)
          logger.info({ ...outcome }, 'retention deleted old records');
      },
      (error: unknown) => logger.error({ err: error }, 'retention failed; will retry'),
    );
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
