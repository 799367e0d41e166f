/**
 * Model-id globs for price rules: `*` matches any run of characters (including none, `/`, `.`,
 * `:` and `@`), `?` exactly one; everything else is literal and case-sensitive; the glob must match
 * the whole id. No character classes or escapes: model ids do not contain `*` or `?`.
 */

export interface GlobSpecificity {
  /** Characters that are not wildcards: the more, the fewer ids the glob can match. */
  literals: number;
  /** Characters before the first wildcard. */
  prefix: number;
  /** `*` and `?` count. */
  wildcards: number;
}

export function compileGlob(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}

export function globSpecificity(glob: string): GlobSpecificity {
  let literals = 0;
  let wildcards = 0;
  let prefix = -1;
  for (const char of glob) {
    if (char === '*' || char === '?') {
      if (prefix === -1) prefix = literals;
      wildcards++;
    } else {
      literals++;
    }
  }
  return { literals, prefix: prefix === -1 ? literals : prefix, wildcards };
}

/**
 * Orders two globs that both match an id, most specific first (negative when `a` is more specific):
 * more literal characters, then a longer literal prefix, then fewer wildcards. Literal count comes
 * first so that `*.anthropic.claude-sonnet-4-5*` (a cross-region Bedrock profile) beats a catch-all
 * `anthropic.*` even though the latter has a literal prefix and the former none.
 */
export function compareSpecificity(a: GlobSpecificity, b: GlobSpecificity): number {
  return b.literals - a.literals || b.prefix - a.prefix || a.wildcards - b.wildcards;
}
