/**
 * Transform warnings: whatever a transform cannot carry is reported, never silently dropped.
 * They are logged with the request and returned in the `x-gproxy-warnings` response header.
 */

export type WarningKind = 'unsupported' | 'dropped' | 'approximated';

export interface TransformWarning {
  kind: WarningKind;
  /** The field concerned, as a path in the source format, e.g. `messages[2].content[0].cache_control`. */
  field: string;
  detail?: string;
}

export class TransformWarnings {
  readonly list: TransformWarning[] = [];
  private readonly seen = new Set<string>();

  add(kind: WarningKind, field: string, detail?: string): void {
    const key = `${kind}:${field}`;
    // One warning per field and kind: a long conversation must not produce a header per turn.
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(detail === undefined ? { kind, field } : { kind, field, detail });
  }

  /** `dropped=messages[0].cache_control; approximated=reasoning.effort (budget 8192)` style header value. */
  toHeader(maxLength = 2000): string | undefined {
    if (this.list.length === 0) return undefined;
    let out = '';
    for (const w of this.list) {
      const item = `${w.kind}=${w.field}${w.detail ? ` (${w.detail})` : ''}`;
      const next = out === '' ? item : `${out}; ${item}`;
      if (next.length > maxLength) return `${out}; …`;
      out = next;
    }
    // Header values must be printable ASCII.
    return out.replace(/[^\x20-\x7e]/g, '?');
  }
}
