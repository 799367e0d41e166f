/**
 * Keeps an instance's snapshot current by polling the store's control-plane version stamp (one
 * tiny read per interval) and reloading when it moved. Pub/sub invalidation across instances can
 * replace the poll later; the stamp stays as the fallback for instances without it.
 */
import type { Logger } from '../core/logger';
import type { ControlPlaneStore } from './ports';
import type { SnapshotHolder } from './snapshot-holder';

export class SnapshotWatcher {
  private timer: ReturnType<typeof setInterval> | undefined;
  private ticking = false;

  constructor(
    private readonly holder: Pick<SnapshotHolder, 'reload'>,
    private readonly store: Pick<ControlPlaneStore, 'readControlPlaneVersion'>,
    private readonly logger: Logger,
    private lastVersion: number,
  ) {}

  /** Polls every `intervalMs`. `lastVersion` must have been read before the current snapshot was built. */
  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => void this.check(), intervalMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reloads when the stamp moved; returns whether it did. Overlapping checks are skipped. */
  async check(): Promise<boolean> {
    if (this.ticking) return false;
    this.ticking = true;
    try {
      const version = await this.store.readControlPlaneVersion();
      if (version === this.lastVersion) return false;
      await this.holder.reload();
      this.lastVersion = version;
      this.logger.info({ version }, 'control plane changed: snapshot reloaded');
      return true;
    } catch (error) {
      this.logger.error({ err: error }, 'snapshot reload failed; keeping the current snapshot');
      return false;
    } finally {
      this.ticking = false;
    }
  }
}
