/** What decoding one Claude request keeps while it walks the body. */
import type { TransformWarnings } from '../../../../canonical/warnings';
import type { JsonObject } from '../../../../json-access';

export interface DecodeState {
  warnings: TransformWarnings;
  /** Set once a `cache_control` was met: prompt caching is reported once per request, not per block. */
  cacheControlSeen: boolean;
}

export function createDecodeState(warnings: TransformWarnings): DecodeState {
  return { warnings, cacheControlSeen: false };
}

/** Reports `cache_control` (which the canonical model cannot hold) the first time it appears. */
export function noteCacheControl(object: JsonObject, path: string, state: DecodeState): void {
  const value = object['cache_control'];
  if (value === undefined || value === null || state.cacheControlSeen) return;
  state.cacheControlSeen = true;
  state.warnings.add('dropped', `${path}.cache_control`);
}
