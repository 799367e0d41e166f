/**
 * Regex aliases: the alias name is a pattern that must match the whole requested model name, and
 * the target may use the pattern's groups (`$1`, `$<name>`, `$&`, as String.prototype.replace).
 * Bundle validation and the snapshot compile patterns the same way, so whatever imports compiles.
 */

/** Compiles an alias pattern as a full match; throws SyntaxError on a bad pattern. */
export function compileAliasPattern(source: string): RegExp {
  return new RegExp(`^(?:${source})$`);
}

/** Number of capture groups a compiled pattern has. */
export function groupCount(pattern: RegExp): number {
  // An alternative that matches the empty string makes exec() report every group (unset).
  return (new RegExp(`${pattern.source}|`).exec('')?.length ?? 1) - 1;
}

/** Numbered group references (`$1`, `$12`) in a replacement, as String.prototype.replace reads them. */
export function groupReferences(target: string): number[] {
  const refs: number[] = [];
  for (const match of target.matchAll(/\$(\$|\d{1,2})/g)) {
    const ref = match[1];
    if (ref !== undefined && ref !== '$') refs.push(Number(ref));
  }
  return refs;
}

/** Why a regex alias is unusable, or null when it compiles and its target's references exist. */
export function aliasPatternProblem(
  source: string,
  target: string,
): { field: 'name' | 'target'; message: string } | null {
  let pattern: RegExp;
  try {
    // The bare pattern first, so the message quotes the operator's own text.
    pattern = compileAliasPattern(new RegExp(source).source);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { field: 'name', message: `Not a valid regular expression (${detail})` };
  }
  const groups = groupCount(pattern);
  const missing = groupReferences(target).find((ref) => ref < 1 || ref > groups);
  if (missing !== undefined) {
    return {
      field: 'target',
      message: `$${missing} refers to a group the pattern does not have (it has ${groups})`,
    };
  }
  return null;
}
