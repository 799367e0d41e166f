/** Claude-specific reads of untyped JSON, beside the shared typed reads of protocol/json-access. */
import type { JsonObject } from '../../../../json-access';

/** Whether a field holds something meaningful: not absent, null, or an empty array. */
export function hasValue(parent: JsonObject | undefined, key: string): boolean {
  const value = parent?.[key];
  if (value === undefined || value === null) return false;
  return !Array.isArray(value) || value.length > 0;
}
