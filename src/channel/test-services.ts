/** Channel services for channel unit tests: a fixed clock, a real in-memory cache, no network. */
import type { ChannelServices } from './contract';
import { MemoryChannelCache } from './memory-cache';

export function testServices(now = Date.parse('2026-01-01T00:00:00Z')): ChannelServices {
  return {
    now,
    cache: new MemoryChannelCache(() => now),
    fetchText: () => Promise.reject(new Error('no network in channel unit tests')),
  };
}
