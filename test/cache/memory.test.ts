import { MemoryCacheBackend } from '../../src/store/cache/memory/memory-cache';
import { describeCacheConformance } from './conformance';

// One process, one state: a "peer" handle on the same namespace is the same backend.
const byNamespace = new Map<string, MemoryCacheBackend>();

describeCacheConformance('memory', (namespace) => {
  let cache = byNamespace.get(namespace);
  if (cache === undefined) byNamespace.set(namespace, (cache = new MemoryCacheBackend()));
  return Promise.resolve(cache);
});
