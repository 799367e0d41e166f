/**
 * Create, read, update and delete of the named control-plane records (providers, routes with their
 * members, aliases, users) for the admin API. Records are shown in their bundle shape (names, not
 * ids; snake_case fields), so what the admin API returns can be pasted into a bundle and back.
 * Child lists with their own endpoints (credentials, models, keys) are left out of these reads and
 * kept untouched by these writes (see child-service.ts).
 */
import { GatewayError } from '../../core/errors';
import { aliasSchema, orgSchema, providerSchema, routeSchema, userSchema } from '../bundle';
import { exportBundle } from '../import-export';
import { namedPriceRuleSchema } from '../pricing/price-rule';
import { pruneRateLimits } from '../rate-limits/plan-rate-limits';
import { rateLimitSchema } from '../rate-limits/rate-limit-entry';
import { pruneQuotas } from '../quotas/plan-quotas';
import { quotaSchema } from '../quotas/quota-entry';
import { ruleSetSchema } from '../rule-sets/rule-set-entry';
import type { ControlPlaneData } from '../model';
import { applyEntries, conflict, notFound, parseBody, withoutKeys } from './apply-entries';
import type { Entry, Section } from './apply-entries';
import type { ControlPlaneEditor } from './control-plane-editor';
import { removeRecord, renameRecord } from './remove-record';

interface SectionSpec {
  what: string;
  schema:
    | typeof orgSchema
    | typeof providerSchema
    | typeof routeSchema
    | typeof aliasSchema
    | typeof userSchema
    | typeof namedPriceRuleSchema
    | typeof rateLimitSchema
    | typeof quotaSchema
    | typeof ruleSetSchema;
  /** Child lists served by their own endpoints. */
  children: readonly string[];
}

export const SECTIONS: Readonly<Record<Section, SectionSpec>> = {
  orgs: { what: 'org', schema: orgSchema, children: ['teams'] },
  providers: { what: 'provider', schema: providerSchema, children: ['credentials', 'models'] },
  routes: { what: 'route', schema: routeSchema, children: [] },
  aliases: { what: 'alias', schema: aliasSchema, children: [] },
  users: { what: 'user', schema: userSchema, children: ['keys'] },
  prices: { what: 'price rule', schema: namedPriceRuleSchema, children: [] },
  rate_limits: { what: 'rate limit', schema: rateLimitSchema, children: [] },
  quotas: { what: 'quota', schema: quotaSchema, children: [] },
  rule_sets: { what: 'rule set', schema: ruleSetSchema, children: [] },
};

/** Aliases are unique per scope (global or one provider); every other record by name alone. */
export interface RecordKey {
  name: string;
  provider?: string | null;
}

export interface Actor {
  userName: string;
}

export class RecordService {
  constructor(
    private readonly editor: ControlPlaneEditor,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(section: Section): Promise<Entry[]> {
    return readEntries(await this.editor.read(), section);
  }

  async get(section: Section, key: RecordKey): Promise<Entry> {
    return findEntry(await this.editor.read(), section, key);
  }

  create(section: Section, body: unknown): Promise<Entry> {
    const spec = SECTIONS[section];
    const entry = rejectChildren(spec, parseBody(spec.schema, body));
    return this.editor.edit(async (data) => {
      const key = keyOf(entry);
      if (findIndex(readEntries(data, section), section, key) >= 0)
        throw conflict(`A ${spec.what} named "${key.name}" already exists.`);
      const next = await applyEntries(data, section, [entry], [section, 0], this.now());
      return { next, result: findEntry(next, section, key) };
    });
  }

  /** PUT: the body is the whole record; fields it leaves out take their defaults. */
  replace(section: Section, key: RecordKey, body: unknown): Promise<Entry> {
    return this.write(section, key, () => body);
  }

  /** PATCH: fields present in the body change; a `name` renames the record. */
  update(section: Section, key: RecordKey, patch: unknown): Promise<Entry> {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
      throw new GatewayError('invalid_request', 'body: must be a JSON object');
    return this.write(section, key, (current) => ({ ...current, ...patch }));
  }

  remove(section: Section, key: RecordKey, actor?: Actor): Promise<void> {
    return this.editor.edit((data) => {
      findEntry(data, section, key);
      if (section === 'users' && actor?.userName === key.name)
        throw conflict('You cannot delete the user you are signed in as.');
      return { next: pruneQuotas(pruneRateLimits(removeRecord(data, section, key))), result: undefined };
    });
  }

  private write(section: Section, key: RecordKey, body: (current: Entry) => unknown): Promise<Entry> {
    const spec = SECTIONS[section];
    return this.editor.edit(async (data) => {
      findEntry(data, section, key);
      // Edits start from the stored entry; a password hash left out is kept as it is.
      const stored =
        storedEntries(data, section)[findIndex(storedEntries(data, section), section, key)] ?? {};
      const raw = body(withoutKeys(stored, ['password_hash']));
      const entry = rejectChildren(
        spec,
        parseBody(spec.schema, { ...defaultKey(section, key), ...(raw as Entry) }),
      );
      const nextKey = keyOf(entry);
      let base = data;
      if (nextKey.name !== key.name || (nextKey.provider ?? null) !== (key.provider ?? null)) {
        if (findIndex(readEntries(data, section), section, nextKey) >= 0)
          throw conflict(`A ${spec.what} named "${nextKey.name}" already exists.`);
        base = renameRecord(data, section, key, nextKey);
      }
      const next = await applyEntries(base, section, [entry], [section, 0], this.now());
      return { next, result: findEntry(next, section, nextKey) };
    });
  }
}

function defaultKey(section: Section, key: RecordKey): Entry {
  return section === 'aliases' ? { name: key.name, provider: key.provider ?? null } : { name: key.name };
}

function rejectChildren(spec: SectionSpec, entry: Entry): Entry {
  for (const child of spec.children) {
    if (entry[child] !== undefined)
      throw new GatewayError(
        'invalid_request',
        `${child}: not accepted here; use /admin/${spec.what}s/{name}/${child}`,
        { param: child },
      );
  }
  return entry;
}

function storedEntries(data: ControlPlaneData, section: Section): Entry[] {
  const spec = SECTIONS[section];
  return (exportBundle(data)[section] as Entry[]).map((entry) => withoutKeys(entry, spec.children));
}

/** Entries as the admin API shows them: a user's password hash only as `has_password`. */
export function readEntries(data: ControlPlaneData, section: Section): Entry[] {
  const entries = storedEntries(data, section);
  if (section !== 'users') return entries;
  return entries.map((entry) => ({
    ...withoutKeys(entry, ['password_hash']),
    has_password: entry['password_hash'] !== undefined,
  }));
}

function keyOf(entry: Entry): RecordKey {
  const provider = entry['provider'];
  return { name: String(entry['name']), provider: typeof provider === 'string' ? provider : null };
}

function findIndex(entries: readonly Entry[], section: Section, key: RecordKey): number {
  return entries.findIndex(
    (entry) =>
      entry['name'] === key.name &&
      (section !== 'aliases' || (entry['provider'] ?? null) === (key.provider ?? null)),
  );
}

export function findEntry(data: ControlPlaneData, section: Section, key: RecordKey): Entry {
  const entries = readEntries(data, section);
  const entry = entries[findIndex(entries, section, key)];
  if (entry === undefined) throw notFound(SECTIONS[section].what, key.name);
  return entry;
}
