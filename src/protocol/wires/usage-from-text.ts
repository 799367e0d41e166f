/**
 * Reads a whole answer's usage from its text without parsing the answer: the top-level usage field
 * is located by the structural scanner of core/json.ts and only its value is parsed.
 */
import { findTopLevelField, tryParseJson } from '../../core/json';
import type { Usage } from '../usage';

export function usageFromTopLevelField(
  key: string,
  fromJson: (json: unknown) => Usage | undefined,
): (text: string) => Usage | undefined {
  return (text) => {
    const span = findTopLevelField(text, key);
    if (span === undefined) return undefined;
    const parsed = tryParseJson(text.slice(span.start, span.end));
    return parsed.ok ? fromJson({ [key]: parsed.value }) : undefined;
  };
}
