/**
 * Writes records in batches, off the request path: usage records and request logs. Records wait in
 * memory until the batch is full or the interval passes; flush() (called on shutdown) writes
 * whatever is pending. A failed write is retried on the next flush, up to a bound, so a store
 * hiccup does not lose records.
 */
import type { Logger } from '../core/logger';
import type { ControlPlaneStore, UsageSink } from '../control-plane/ports';
import type { UsageRecord } from '../control-plane/usage-record';

export interface UsageWriterOptions {
  maxBatch: number;
  intervalMs: number;
  /** Records kept while the store is failing before the oldest are dropped (and logged). */
  maxPending: number;
}

export const DEFAULT_USAGE_WRITER_OPTIONS: UsageWriterOptions = {
  maxBatch: 500,
  intervalMs: 1000,
  maxPending: 100_000,
};

export class BatchingWriter<T> {
  private pending: T[] = [];
  private flushing: Promise<void> | null = null;
  private readonly timer: ReturnType<typeof setInterval>;

  /** `what` names the records in log messages, e.g. `usage`. */
  constructor(
    private readonly insert: (batch: T[]) => Promise<void>,
    private readonly what: string,
    private readonly logger: Logger,
    private readonly options: UsageWriterOptions = DEFAULT_USAGE_WRITER_OPTIONS,
  ) {
    this.timer = setInterval(() => void this.flush(), options.intervalMs);
    // On Node, an idle writer must not keep the process alive.
    (this.timer as { unref?: () => void }).unref?.();
  }

  record(record: T): void {
    this.pending.push(record);
    if (this.pending.length >= this.options.maxBatch && this.flushing === null) void this.flush();
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Writes every pending record; concurrent calls share the running write, then write the rest. */
  async flush(): Promise<void> {
    while (this.flushing !== null) await this.flushing;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.write(batch);
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  /** Stops the timer and writes everything pending. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    if (this.pending.length > 0) await this.flush();
  }

  private async write(batch: T[]): Promise<void> {
    try {
      for (let i = 0; i < batch.length; i += this.options.maxBatch) {
        await this.insert(batch.slice(i, i + this.options.maxBatch));
      }
    } catch (error) {
      this.logger.error({ err: error, records: batch.length }, `${this.what} write failed; will retry`);
      this.pending = batch.concat(this.pending);
      const overflow = this.pending.length - this.options.maxPending;
      if (overflow > 0) {
        this.pending.splice(0, overflow);
        this.logger.error(
          { dropped: overflow },
          `${this.what} records dropped: store unavailable for too long`,
        );
      }
    }
  }
}

export class BatchingUsageWriter extends BatchingWriter<UsageRecord> implements UsageSink {
  constructor(
    store: Pick<ControlPlaneStore, 'insertUsage'>,
    logger: Logger,
    options: UsageWriterOptions = DEFAULT_USAGE_WRITER_OPTIONS,
  ) {
    super((batch) => store.insertUsage(batch), 'usage', logger, options);
  }
}
