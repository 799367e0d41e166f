/**
 * Holds the current snapshot and replaces it on reload. The hot path reads `current` (a plain
 * field read); reloads build a complete new snapshot before the swap, so a reader sees either the
 * old or the new one, never a mix.
 */
import type { ControlPlaneStore } from './ports';
import { buildSnapshot } from './snapshot';
import type { Snapshot } from './snapshot';

type SnapshotSource = Pick<ControlPlaneStore, 'loadControlPlane'>;

export class SnapshotHolder {
  private snapshot: Snapshot;
  private running: Promise<Snapshot> | undefined;
  private queued: Promise<Snapshot> | undefined;

  private constructor(
    private readonly store: SnapshotSource,
    initial: Snapshot,
  ) {
    this.snapshot = initial;
  }

  static async create(store: SnapshotSource): Promise<SnapshotHolder> {
    return new SnapshotHolder(store, buildSnapshot(await store.loadControlPlane(), 1));
  }

  get current(): Snapshot {
    return this.snapshot;
  }

  /**
   * Reads the store and swaps in a new snapshot. Calls made while a reload runs share one
   * follow-up reload that starts after it, so every caller gets a snapshot that reflects the
   * store as of (at least) its call, and a burst of change events costs at most two reads.
   * On failure the current snapshot stays and the promise rejects.
   */
  reload(): Promise<Snapshot> {
    const running = this.running;
    if (running === undefined) return this.start();
    this.queued ??= running.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  private startQueued(): Promise<Snapshot> {
    this.queued = undefined;
    return this.start();
  }

  private start(): Promise<Snapshot> {
    const attempt = this.loadAndSwap();
    this.running = attempt;
    const clear = (): void => {
      if (this.running === attempt) this.running = undefined;
    };
    attempt.then(clear, clear);
    return attempt;
  }

  private async loadAndSwap(): Promise<Snapshot> {
    const data = await this.store.loadControlPlane();
    const next = buildSnapshot(data, this.snapshot.version + 1);
    this.snapshot = next;
    return next;
  }
}
