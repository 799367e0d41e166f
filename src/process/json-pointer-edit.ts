/**
 * Edits of a parsed JSON document at a JSON Pointer (RFC 6901 tokens, already unescaped).
 *
 * - `set` creates missing parent objects (`/metadata/user_id` on a body without `metadata`) and
 *   replaces what is there; `default` does the same but leaves a present value alone (a present
 *   `null` included); `remove` deletes, and is a no-op when nothing is there.
 * - In arrays a token is an index (`0`, `12`; no leading zeros) or `-`, the slot after the last
 *   element: setting it, or the index equal to the length, appends. Other indices past the end,
 *   and parents that are neither objects nor arrays (a string, a number, null), make the edit a
 *   no-op: a rule never turns a value the client sent into something of another type.
 * - Keys are own properties only and are written with defineProperty, so `__proto__` is an
 *   ordinary key and no edit can reach Object.prototype.
 */
import { arrayIndexOf } from '../core/json-pointer';
import type { BodyEdit } from './rule-types';

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;

function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A fresh copy per request: a later rule editing inside it must not change the compiled rule. */
const copyOf = (value: unknown): unknown => (isContainer(value) ? structuredClone(value) : value);

/** The child container for `token`, created (as an object) when absent and `create` is set. */
function child(parent: Container, token: string, create: boolean): Container | null {
  if (Array.isArray(parent)) {
    const index = arrayIndexOf(token);
    const value = index === null ? undefined : parent[index];
    return isContainer(value) ? value : null;
  }
  if (Object.hasOwn(parent, token)) {
    const value = parent[token];
    return isContainer(value) ? value : null;
  }
  if (!create) return null;
  const created: Record<string, unknown> = {};
  defineKey(parent, token, created);
  return created;
}

/** Applies one edit to `root` in place; returns whether it changed anything. */
export function applyBodyEdit(root: unknown, edit: BodyEdit): boolean {
  const { tokens, kind } = edit;
  const last = tokens[tokens.length - 1];
  if (last === undefined || !isContainer(root)) return false;
  let parent: Container = root;
  for (let i = 0; i < tokens.length - 1; i++) {
    const next = child(parent, tokens[i] ?? '', kind !== 'remove');
    if (next === null) return false;
    parent = next;
  }

  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : arrayIndexOf(last);
    if (index === null || index > parent.length) return false;
    if (kind === 'remove') {
      if (index === parent.length) return false;
      parent.splice(index, 1);
      return true;
    }
    if (index < parent.length && kind === 'default') return false;
    parent[index] = copyOf(edit.value);
    return true;
  }

  const present = Object.hasOwn(parent, last);
  if (kind === 'remove') {
    if (!present) return false;
    delete parent[last];
    return true;
  }
  if (present && kind === 'default') return false;
  defineKey(parent, last, copyOf(edit.value));
  return true;
}
