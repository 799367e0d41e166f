/** The per-process ChannelCache: a bounded map whose entries expire at their own time. */
import type { ChannelCache } from './contract';

const MAX_ENTRIES = 10_000;

export class MemoryChannelCache implements ChannelCache {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: string, expiresAt: number): void {
    if (this.entries.size >= MAX_ENTRIES && !this.entries.has(key)) {
      // Oldest first: Map iteration follows insertion order.
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt });
  }
}
