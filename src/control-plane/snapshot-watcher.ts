/**
 * Keeps an instance's snapshot current. It polls the store's control-plane version stamp (one tiny
 * read per interval) and reloads when it moved; with `listen(cache)` it also reloads as soon as an
 * admin write is announced on the cache's pub/sub (invalidation.ts). The poll stays as the
 * fallback: announcements are best effort, and the memory cache only carries them in-process.
 */
import type { Logger } from '../core/logger';
import type { CacheBackend, Unsubscribe } from './cache-port';
import { onControlPlaneChange } from './invalidation';
import type { ControlPlaneStore } from './ports';
import type { SnapshotHolder } from './snapshot-holder';

export class SnapshotWatcher {
  private timer: ReturnType<typeof setInterval> | undefined;
  private ticking = false;
  /** An announcement arrived while a check ran: check again when it ends. */
  private recheck = false;
  private unsubscribe: Unsubscribe | undefined;

  constructor(
    private readonly holder: Pick<SnapshotHolder, 'reload'>,
    private readonly store: Pick<ControlPlaneStore, 'readControlPlaneVersion'>,
    private readonly logger: Logger,
    private lastVersion: number,
  ) {}

  /** Polls every `intervalMs`. `lastVersion` must have been read before the current snapshot was built. */
  start(intervalMs: number): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = setInterval(() => void this.check(), intervalMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /**
   * Also reloads when a control-plane change is announced on `cache`. Resolves to whether the
   * subscription is in place; when it is not (the cache is down), polling alone carries on.
   */
  async listen(cache: Pick<CacheBackend, 'subscribe'>): Promise<boolean> {
    try {
      const unsubscribe = await onControlPlaneChange(cache, (version) => this.announced(version));
      this.unsubscribe?.().catch(() => undefined);
      this.unsubscribe = unsubscribe;
      return true;
    } catch (error) {
      this.logger.warn({ err: error }, 'control-plane announcements unavailable; relying on polling');
      return false;
    }
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    unsubscribe?.().catch((error: unknown) => this.logger.debug({ err: error }, 'unsubscribe failed'));
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
      if (this.recheck) {
        this.recheck = false;
        void this.check();
      }
    }
  }

  private announced(version: number | undefined): void {
    // Our own poll (or an earlier announcement) may already have brought this version in.
    if (version !== undefined && version <= this.lastVersion) return;
    // A check already running may have read the stamp before this write: look again after it.
    if (this.ticking) this.recheck = true;
    else void this.check();
  }
}
