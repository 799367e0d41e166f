/**
 * Aliases as the snapshot holds them: per scope (global, or one provider's model ids), exact
 * names in a map and regex patterns compiled once, in configured order.
 */
import { compileAliasPattern } from './alias-pattern';
import type { AliasRecord } from './model';

export interface AliasPattern {
  /** The pattern as configured (the alias name). */
  readonly source: string;
  /** Compiled as a full match. */
  readonly pattern: RegExp;
  /** May reference the pattern's groups (`$1`). */
  readonly target: string;
}

export interface AliasTable {
  /** Exact alias name -> target. */
  readonly exact: ReadonlyMap<string, string>;
  /** Regex aliases in configured order. */
  readonly patterns: readonly AliasPattern[];
}

export const EMPTY_ALIAS_TABLE: AliasTable = Object.freeze({
  exact: new Map<string, string>(),
  patterns: Object.freeze([]),
});

/** Tables keyed by provider id; the global scope under `null`. */
export function buildAliasTables(aliases: readonly AliasRecord[]): Map<string | null, AliasTable> {
  const ordered = [...aliases].sort(
    (a, b) => a.position - b.position || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const exact = new Map<string | null, Map<string, string>>();
  const patterns = new Map<string | null, AliasPattern[]>();
  for (const alias of ordered) {
    const scope = alias.providerId;
    if (alias.kind === 'regex') {
      let pattern: RegExp;
      try {
        pattern = compileAliasPattern(alias.name);
      } catch {
        continue; // Bundle validation rejects bad patterns; a row written around it matches nothing.
      }
      const list = patterns.get(scope) ?? [];
      list.push(Object.freeze({ source: alias.name, pattern, target: alias.target }));
      patterns.set(scope, list);
    } else {
      const map = exact.get(scope) ?? new Map<string, string>();
      map.set(alias.name, alias.target);
      exact.set(scope, map);
    }
  }
  const tables = new Map<string | null, AliasTable>();
  for (const scope of new Set([...exact.keys(), ...patterns.keys()])) {
    tables.set(
      scope,
      Object.freeze({
        exact: exact.get(scope) ?? new Map<string, string>(),
        patterns: Object.freeze(patterns.get(scope) ?? []),
      }),
    );
  }
  return tables;
}

/**
 * One lookup step: an exact alias wins; otherwise the first pattern (in configured order) that
 * matches the whole name, with its groups substituted into the target.
 */
export function lookupAlias(table: AliasTable, name: string): string | undefined {
  return table.exact.get(name) ?? matchPattern(table, name);
}

/** The first pattern (in configured order) matching the whole name, with its groups substituted. */
export function matchPattern(table: AliasTable, name: string): string | undefined {
  for (const alias of table.patterns) {
    if (alias.pattern.test(name)) return name.replace(alias.pattern, alias.target);
  }
  return undefined;
}
