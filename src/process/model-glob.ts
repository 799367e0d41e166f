/**
 * Model globs of rule conditions: `*` matches any run of characters (slashes included: upstream
 * model ids such as `meta-llama/llama-3` hold them), `?` exactly one; everything else is literal.
 */

const escape = (text: string): string => text.replace(/[.+^${}()|[\]\\]/g, '\\$&');

export function compileModelGlob(glob: string): RegExp {
  return new RegExp(`^${escape(glob).replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'su');
}
