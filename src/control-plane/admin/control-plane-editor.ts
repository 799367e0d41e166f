/**
 * Serialised read-modify-write of the control plane for the admin API: each edit reads the stored
 * records, computes the next state (pure), saves it in one transaction and then announces the
 * change (the caller reloads its own snapshot and publishes an invalidation to other instances).
 *
 * Edits on one instance run one at a time. Edits on two instances at once are kept apart by an
 * optional cross-instance lock (a lease on the cache backend); without one, the later save wins
 * for the records both touched (documented in docs/admin-api.md).
 */
import type { ControlPlaneData } from '../model';
import type { ControlPlaneStore } from '../ports';

export type EditorStore = Pick<
  ControlPlaneStore,
  'loadControlPlane' | 'saveControlPlane' | 'readControlPlaneVersion'
>;

/** Runs `work` while holding a cluster-wide lock; absent = in-process serialisation only. */
export type EditLock = <T>(work: () => Promise<T>) => Promise<T>;

export interface EditorOptions {
  /** Called after every saved edit with the new version stamp (reload, publish). */
  afterWrite?: (version: number) => Promise<void>;
  lock?: EditLock;
}

export interface EditOutcome<T> {
  /** The next state; `undefined` means nothing changed and nothing is saved. */
  next: ControlPlaneData | undefined;
  result: T;
}

export class ControlPlaneEditor {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: EditorStore,
    private readonly options: EditorOptions = {},
  ) {}

  read(): Promise<ControlPlaneData> {
    return this.store.loadControlPlane();
  }

  /** Applies one edit; concurrent calls queue behind each other. */
  edit<T>(change: (current: ControlPlaneData) => Promise<EditOutcome<T>> | EditOutcome<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const locked = this.options.lock ?? ((work) => work());
      return locked(async () => {
        const outcome = await change(await this.store.loadControlPlane());
        if (outcome.next === undefined) return outcome.result;
        await this.store.saveControlPlane(outcome.next);
        const version = await this.store.readControlPlaneVersion();
        await this.options.afterWrite?.(version);
        return outcome.result;
      });
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
