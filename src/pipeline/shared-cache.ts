/**
 * Routing state that several gateway instances share through the cache backend (credential
 * budgets, health events) is only worth a round trip when the backend is really shared: with the
 * memory backend each process is on its own anyway, so the in-process structures serve directly.
 */
import type { CacheBackend } from '../control-plane/cache-port';
import type { Logger } from '../core/logger';

const SHARED_KINDS: ReadonlySet<string> = new Set(['redis', 'upstash']);

/** Whether instances of one deployment see the same state through this backend. */
export function isSharedCache(cache: CacheBackend | undefined): cache is CacheBackend {
  return cache !== undefined && SHARED_KINDS.has(cache.kind);
}

/**
 * Logs a cache outage once when it starts and once when it ends, however many operations fail in
 * between (a busy gateway would otherwise log a line per request).
 */
export class OutageNotice {
  private down = false;

  constructor(
    private readonly logger: Logger,
    /** Names the user of the cache in the log: `credential budgets`, `health sharing`. */
    private readonly what: string,
    /** What happens meanwhile, for the operator reading the warning. */
    private readonly meanwhile: string,
  ) {}

  failed(error: unknown): void {
    if (this.down) return;
    this.down = true;
    this.logger.warn(
      { error: error instanceof Error ? error.message : String(error) },
      `${this.what}: cache backend unavailable; ${this.meanwhile}`,
    );
  }

  succeeded(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.info({}, `${this.what}: cache backend reachable again`);
  }
}
