/**
 * Request and failure counts over a sliding window, kept in ten buckets so memory per key is
 * constant whatever the traffic. The window therefore slides in steps of a tenth of its length.
 */

const BUCKETS = 10;

interface Bucket {
  /** floor(time / bucketMs) */
  slot: number;
  requests: number;
  failures: number;
}

export interface WindowStats {
  requests: number;
  failures: number;
}

export class ErrorWindow {
  private readonly bucketMs: number;
  /** Oldest first; slots strictly increasing; never more than BUCKETS after pruning. */
  private buckets: Bucket[] = [];

  constructor(windowMs: number) {
    this.bucketMs = Math.max(1, Math.ceil(windowMs / BUCKETS));
  }

  add(failed: boolean, now: number): void {
    const slot = Math.floor(now / this.bucketMs);
    this.prune(slot);
    let bucket = this.buckets.at(-1);
    // A clock that steps back lands in the newest bucket rather than reordering history.
    if (bucket === undefined || bucket.slot < slot) {
      bucket = { slot, requests: 0, failures: 0 };
      this.buckets.push(bucket);
    }
    bucket.requests++;
    if (failed) bucket.failures++;
  }

  stats(now: number): WindowStats {
    this.prune(Math.floor(now / this.bucketMs));
    let requests = 0;
    let failures = 0;
    for (const bucket of this.buckets) {
      requests += bucket.requests;
      failures += bucket.failures;
    }
    return { requests, failures };
  }

  clear(): void {
    this.buckets = [];
  }

  private prune(currentSlot: number): void {
    const oldest = currentSlot - BUCKETS + 1;
    let drop = 0;
    for (const bucket of this.buckets) {
      if (bucket.slot >= oldest) break;
      drop++;
    }
    if (drop > 0) this.buckets.splice(0, drop);
  }
}
