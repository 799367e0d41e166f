/**
 * Bundle validation errors that name the offending field by path, e.g.
 * `providers[0].credentials[1].label: Required`, so an operator can fix a large bundle quickly.
 */
import { GatewayError } from '../core/errors';

export type IssuePath = readonly PropertyKey[];

export interface BundleIssue {
  path: IssuePath;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['providers', 0, 'credentials', 1, 'label']` -> `providers[0].credentials[1].label`. */
export function formatIssuePath(path: IssuePath): string {
  if (path.length === 0) return 'bundle';
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment))
      out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

export function formatIssue(issue: BundleIssue): string {
  return `${formatIssuePath(issue.path)}: ${issue.message}`;
}

export class BundleValidationError extends GatewayError {
  /** One line per problem, each starting with the field path. */
  readonly issues: readonly string[];
  /** The same problems with their raw paths (the admin API re-roots them at its request body). */
  readonly details: readonly BundleIssue[];

  constructor(issues: readonly BundleIssue[]) {
    const lines = issues.map(formatIssue);
    super('invalid_request', `Invalid bundle: ${lines.join('; ')}`);
    this.name = 'BundleValidationError';
    this.issues = Object.freeze(lines);
    this.details = Object.freeze([...issues]);
  }
}
