/**
 * Permission grants: glob patterns on model names (what the client sends), route names and
 * `provider/model` names, granted to orgs, teams, users and keys. A key may use the union of the
 * grants along its chain (key, user, team, org); admins may use everything. Patterns are compiled
 * once, when the snapshot is built. The exact rule is in docs/tenancy.md.
 *
 * - `*` alone grants everything.
 * - A pattern without `/` names models and routes: `*` matches any run of characters and `?` one
 *   character, neither crossing a `/`, so such a pattern never matches a `provider/model` name.
 * - A pattern with `/` names `provider/model`: the part before the first `/` matches the provider
 *   (`*` and `?` not crossing `/`), the rest the upstream model id (where they match anything,
 *   model ids may hold slashes).
 */

export interface Access {
  /** True for admins and `*` grants. */
  readonly all: boolean;
  /** The patterns, as granted (deduplicated, in chain order); for display only. */
  readonly patterns: readonly string[];
  allows(name: string): boolean;
}

export const ALLOW_ALL: Access = Object.freeze({
  all: true,
  patterns: Object.freeze(['*']),
  allows: () => true,
});

export const DENY_ALL: Access = Object.freeze({
  all: false,
  patterns: Object.freeze([]),
  allows: () => false,
});

export const MAX_PATTERN_LENGTH = 400;

/** Why a pattern is not a valid grant, or null. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'Must not be empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return `Must be at most ${MAX_PATTERN_LENGTH} characters`;
  if (/\s/.test(pattern)) return 'Must not contain white space';
  const slash = pattern.indexOf('/');
  if (slash === 0 || slash === pattern.length - 1)
    return 'A provider/model pattern needs both a provider and a model part';
  return null;
}

const escape = (text: string): string => text.replace(/[.+^${}()|[\]\\]/g, '\\$&');

function globSource(glob: string, crossSlash: boolean): string {
  const any = crossSlash ? '.' : '[^/]';
  return escape(glob).replace(/\*/g, `${any}*`).replace(/\?/g, any);
}

/** One pattern as a whole-name regex (see the module comment for the rule). */
export function compilePattern(pattern: string): RegExp {
  const slash = pattern.indexOf('/');
  if (slash < 0) return new RegExp(`^${globSource(pattern, false)}$`, 'u');
  const provider = globSource(pattern.slice(0, slash), false);
  const model = globSource(pattern.slice(slash + 1), true);
  return new RegExp(`^${provider}/${model}$`, 'u');
}

/** The union of the grant lists given (key, user, team, org); invalid patterns grant nothing. */
export function compileAccess(lists: readonly (readonly string[])[]): Access {
  const patterns = [...new Set(lists.flat())].filter((p) => patternProblem(p) === null);
  if (patterns.includes('*')) return ALLOW_ALL;
  if (patterns.length === 0) return DENY_ALL;
  const regexes = patterns.map(compilePattern);
  return Object.freeze({
    all: false,
    patterns: Object.freeze(patterns),
    allows: (name: string) => regexes.some((regex) => regex.test(name)),
  });
}
