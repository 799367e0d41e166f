import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger';
import type { UsageRecord } from '../control-plane/usage-record';
import { BatchingUsageWriter } from './usage-writer';

function record(requestId: string): UsageRecord {
  return {
    requestId,
    createdAt: '2026-01-01T00:00:00Z',
    userId: 'u1',
    userKeyId: 'k1',
    operation: 'generate-content',
    clientWire: 'openai-chat',
    upstreamWire: 'openai-chat',
    requestedModel: 'fast',
    routeName: 'r',
    providerName: 'p',
    credentialLabel: 'main',
    upstreamModel: 'm',
    stream: false,
    status: 200,
    endState: 'complete',
    errorCode: null,
    attempts: 1,
    inputTokens: 1,
    outputTokens: 1,
    cachedInputTokens: 0,
    cacheCreationTokens: 0,
    reasoningTokens: 0,
    usageSource: 'upstream-reported',
    costPicoUsd: null,
    priced: false,
    priceRule: null,
    orgId: null,
    teamId: null,
    cacheCreation1hTokens: 0,
    latencyMs: 1,
    firstByteMs: null,
  };
}

describe('BatchingUsageWriter', () => {
  it('writes nothing until flushed, then everything in batches', async () => {
    const batches: string[][] = [];
    const writer = new BatchingUsageWriter(
      { insertUsage: (records) => (batches.push(records.map((r) => r.requestId)), Promise.resolve()) },
      silentLogger,
      { maxBatch: 2, intervalMs: 60_000, maxPending: 100 },
    );
    writer.record(record('a'));
    expect(batches).toEqual([]);
    writer.record(record('b'));
    writer.record(record('c'));
    await writer.close();
    expect(batches.flat().sort()).toEqual(['a', 'b', 'c']);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(2);
  });

  it('keeps records when the store fails and writes them on the next flush', async () => {
    let fail = true;
    const stored: string[] = [];
    const writer = new BatchingUsageWriter(
      {
        insertUsage: (records) => {
          if (fail) return Promise.reject(new Error('database is locked'));
          stored.push(...records.map((r) => r.requestId));
          return Promise.resolve();
        },
      },
      silentLogger,
      { maxBatch: 10, intervalMs: 60_000, maxPending: 100 },
    );
    writer.record(record('a'));
    writer.record(record('b'));
    await writer.flush();
    expect(stored).toEqual([]);
    expect(writer.pendingCount).toBe(2);
    fail = false;
    await writer.close();
    expect(stored).toEqual(['a', 'b']);
  });

  it('drops the oldest records beyond maxPending while the store is down', async () => {
    const writer = new BatchingUsageWriter(
      { insertUsage: () => Promise.reject(new Error('down')) },
      silentLogger,
      { maxBatch: 10, intervalMs: 60_000, maxPending: 3 },
    );
    for (const id of ['a', 'b', 'c', 'd', 'e']) writer.record(record(id));
    await writer.flush();
    expect(writer.pendingCount).toBe(3);
    await writer.close().catch(() => undefined);
  });
});
