/** Retention by age (instance settings) against a real SQLite store: old records go, recent stay. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ControlPlaneStore } from '../../src/control-plane/ports';
import { DEFAULT_INSTANCE_SETTINGS } from '../../src/control-plane/instance-settings';
import { applyRetention } from '../../src/control-plane/retention';
import { hourOf } from '../../src/control-plane/usage-rollup';
import { openSqliteStore } from '../../src/store/persistence/sqlite/open-sqlite';
import { usage } from './fixtures';

const NOW = Date.parse('2026-06-30T00:00:00.000Z');
const daysAgo = (days: number): string => new Date(NOW - days * 86_400_000).toISOString();

describe('retention', () => {
  let store: ControlPlaneStore;
  beforeEach(async () => {
    store = await openSqliteStore({ file: ':memory:' });
    await store.insertUsage([
      usage('old', { createdAt: daysAgo(40) }),
      usage('edge', { createdAt: daysAgo(29) }),
      usage('new', { createdAt: daysAgo(1) }),
    ]);
    for (const [id, age] of [
      ['a-old', 100],
      ['a-new', 2],
    ] as const) {
      await store.insertAudit({
        id,
        createdAt: daysAgo(age),
        actor: 'root',
        action: 'POST /admin/routes',
        target: '/admin/routes',
        status: 201,
        sourceAddress: null,
      });
    }
  });
  afterEach(() => store.close());

  it('keeps everything by default', async () => {
    expect(await applyRetention(store, DEFAULT_INSTANCE_SETTINGS, NOW)).toEqual({
      usage: 0,
      usageRollups: 0,
      audit: 0,
      requestLogs: 0,
    });
    expect((await store.queryUsage({ limit: 10 })).data).toHaveLength(3);
    expect((await store.queryUsageRollups({ limit: 10 })).data).toHaveLength(3);
  });

  it('deletes usage and audit records older than their retention', async () => {
    const outcome = await applyRetention(
      store,
      { ...DEFAULT_INSTANCE_SETTINGS, usage_retention_days: 30, audit_retention_days: 90 },
      NOW,
    );
    expect(outcome).toEqual({ usage: 1, usageRollups: 0, audit: 1, requestLogs: 0 });
    expect((await store.queryUsage({ limit: 10 })).data.map((r) => r.requestId).sort()).toEqual([
      'edge',
      'new',
    ]);
    expect((await store.queryAudit({ limit: 10 })).data.map((r) => r.id)).toEqual(['a-new']);
    // Rollups have their own retention (kept forever by default): the old hour is still summed.
    expect((await store.queryUsageRollups({ limit: 10 })).data).toHaveLength(3);
  });

  it('deletes hourly rollups older than rollup_retention_days, keeping the usage records', async () => {
    const outcome = await applyRetention(
      store,
      { ...DEFAULT_INSTANCE_SETTINGS, rollup_retention_days: 30 },
      NOW,
    );
    expect(outcome).toEqual({ usage: 0, usageRollups: 1, audit: 0, requestLogs: 0 });
    const hours = (await store.queryUsageRollups({ limit: 10 })).data.map((r) => r.hour);
    expect(hours).toEqual([hourOf(daysAgo(1)), hourOf(daysAgo(29))]);
    expect((await store.queryUsage({ limit: 10 })).data).toHaveLength(3);
  });
});
