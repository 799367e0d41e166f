/**
 * Conformance cases for the append-only logs: the audit trail and reading the usage ledger, newest
 * first, page by page with the keyset cursor. Backends order and compare text differently, so
 * paging is checked for gaps, repeats and order on every one.
 */
import { expect, it } from 'vitest';
import type { AuditRecord, Page } from '../../../src/control-plane/audit-record';
import type { RequestLogRecord } from '../../../src/control-plane/request-log';
import { usage } from '../fixtures';
import type { ConformanceContext } from './conformance';

/** Newest first: created_at, then id, both descending (ids here are plain ASCII). */
const newestFirst =
  <T>(key: (item: T) => [string, string]) =>
  (a: T, b: T) => {
    const [ta, ia] = key(a);
    const [tb, ib] = key(b);
    return ta === tb ? (ia < ib ? 1 : ia > ib ? -1 : 0) : ta < tb ? 1 : -1;
  };

async function allPages<T>(read: (before: string | undefined) => Promise<Page<T>>): Promise<T[][]> {
  const pages: T[][] = [];
  let before: string | undefined;
  for (;;) {
    const page = await read(before);
    pages.push(page.data);
    if (page.next === null) return pages;
    before = page.next;
  }
}

export function logCases(ctx: ConformanceContext): void {
  it('pages through the audit trail newest first, without gaps or repeats, and filters it', async () => {
    const records: AuditRecord[] = Array.from({ length: 25 }, (_, i) => ({
      id: `audit${String(i).padStart(2, '0')}`,
      // Groups of three share a time, so the id breaks ties inside a page and across pages.
      createdAt: `2026-01-01T00:00:${String(Math.floor(i / 3)).padStart(2, '0')}.000Z`,
      actor: i % 5 === 0 ? null : i % 2 === 0 ? 'alice' : 'Zoë',
      action: i % 2 === 0 ? 'PATCH /admin/providers/:name' : 'POST /admin/users',
      target: `/admin/providers/p-${i}`,
      status: 200 + i,
      sourceAddress: i % 4 === 0 ? null : '2001:db8::1',
    }));
    for (const record of records) await ctx.store.insertAudit(record);

    const pages = await allPages((before) => ctx.store.queryAudit({ limit: 10, before }));
    expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual([...records].sort(newestFirst((r) => [r.createdAt, r.id])));

    const zoe = await ctx.store.queryAudit({ actor: 'Zoë', limit: 100 });
    expect(zoe.data.map((r) => r.id).sort()).toEqual(
      records.filter((r) => r.actor === 'Zoë').map((r) => r.id),
    );
    const window = await ctx.store.queryAudit({
      action: 'POST /admin/users',
      since: '2026-01-01T00:00:02.000Z',
      until: '2026-01-01T00:00:05.000Z',
      limit: 100,
    });
    expect(window.data.map((r) => r.id).sort()).toEqual(
      records
        .filter((r) => r.action === 'POST /admin/users' && r.createdAt >= '2026-01-01T00:00:02.000Z')
        .filter((r) => r.createdAt < '2026-01-01T00:00:05.000Z')
        .map((r) => r.id),
    );
  });

  it('pages through the usage ledger newest first and filters it', async () => {
    const records = Array.from({ length: 23 }, (_, i) =>
      usage(`req${String(i).padStart(2, '0')}`, {
        createdAt: `2026-02-01T00:00:${String(Math.floor(i / 4)).padStart(2, '0')}.000Z`,
        providerName: i % 3 === 0 ? 'Ωmega' : 'oa',
        userId: i % 2 === 0 ? null : 'u-alice',
        endState: i % 5 === 0 ? 'upstream-error' : 'complete',
      }),
    );
    await ctx.store.insertUsage(records);
    const pages = await allPages((before) => ctx.store.queryUsage({ limit: 7, before }));
    expect(pages.map((page) => page.length)).toEqual([7, 7, 7, 2]);
    expect(pages.flat()).toEqual([...records].sort(newestFirst((r) => [r.createdAt, r.requestId])));

    const filtered = await ctx.store.queryUsage({ providerName: 'Ωmega', endState: 'complete', limit: 100 });
    expect(filtered.data.map((r) => r.requestId).sort()).toEqual(
      records.filter((r) => r.providerName === 'Ωmega' && r.endState === 'complete').map((r) => r.requestId),
    );
    expect((await ctx.store.queryUsage({ userId: 'u-alice', limit: 100 })).data).toHaveLength(11);
    await expect(ctx.store.queryUsage({ limit: 5, before: 'not-a-cursor' })).rejects.toThrow(/cursor/);
  });

  it('stores request logs once per request id, pages them and prunes them by age', async () => {
    const records: RequestLogRecord[] = Array.from({ length: 12 }, (_, i) => ({
      requestId: `rl${String(i).padStart(2, '0')}`,
      createdAt: `2026-03-0${1 + Math.floor(i / 4)}T00:00:00.000Z`,
      userId: i % 2 === 0 ? 'u-alice' : null,
      operation: 'generate-content',
      clientWire: 'openai-chat',
      model: 'gpt-✓',
      routeName: 'fast',
      status: i % 3 === 0 ? 502 : 200,
      endState: i % 3 === 0 ? 'upstream-error' : 'complete',
      errorCode: i % 3 === 0 ? 'upstream_error' : null,
      latencyMs: 10 + i,
      routeHeader: 'route=fast; member=0; provider=oa; model=gpt; credential=main; attempts=1',
      attempts: [{ provider: 'oa', outcome: 'transient', status: 502, latencyMs: 9 }],
      warnings: null,
      requestHeaders: i === 0 ? { authorization: '[redacted]' } : null,
      requestBody: i === 0 ? '{"model":"gpt-✓"}' : null,
      // Captured bodies reach 1 MB (capture_max_bytes): more than MySQL's `text` holds.
      responseStatus: i === 0 ? 502 : null,
      responseHeaders: i === 0 ? { 'content-type': 'text/event-stream' } : null,
      responseBody: i === 0 ? `data: ${'✓'.repeat(100_000)}\n\n` : null,
      responseBodyBytes: i === 0 ? 300_008 : null,
      responseTruncated: i === 0 ? false : null,
      upstreamErrorBody: i === 0 ? 'x'.repeat(70_000) : null,
    }));
    await ctx.store.insertRequestLogs(records.slice(0, 8));
    // A retried batch overlapping what is stored writes nothing twice.
    await ctx.store.insertRequestLogs(records.slice(4));
    const pages = await allPages((before) => ctx.store.queryRequestLogs({ limit: 5, before }));
    expect(pages.map((page) => page.length)).toEqual([5, 5, 2]);
    expect(pages.flat()).toEqual([...records].sort(newestFirst((r) => [r.createdAt, r.requestId])));
    const failed = await ctx.store.queryRequestLogs({ status: 502, userId: 'u-alice', limit: 100 });
    expect(failed.data.map((r) => r.requestId).sort()).toEqual(['rl00', 'rl06']);
    expect(await ctx.store.pruneRecords('request-logs', '2026-03-02T00:00:00.000Z')).toBe(4);
    expect((await ctx.store.queryRequestLogs({ limit: 100 })).data).toHaveLength(8);
  });

  it('refuses a cursor it did not answer, on every paged read, as a 400 naming `before`', async () => {
    const bad = btoa('["2026-01-01T00:00:00.000Z"]');
    for (const read of [
      () => ctx.store.queryAudit({ limit: 5, before: bad }),
      () => ctx.store.queryUsage({ limit: 5, before: 'not base64!' }),
      () => ctx.store.queryRequestLogs({ limit: 5, before: bad }),
      () => ctx.store.queryUsageRollups({ limit: 5, before: bad }),
    ]) {
      await expect(read()).rejects.toMatchObject({ code: 'invalid_request', status: 400, param: 'before' });
    }
  });
}
