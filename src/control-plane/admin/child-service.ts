/**
 * The child lists of named records, each under its parent: a provider's credentials (secrets are
 * write-only: reads show them masked) and model list, and a user's API keys (the plaintext key is
 * shown once, in the answer to its creation; only its digest is stored). Writes go through the
 * bundle like every admin write (apply-entries.ts): the parent entry is re-applied with its new
 * child list, and children left as they were keep their stored secrets and digests.
 */
import { z } from 'zod';
import { generateUserKey } from '../../core/ids';
import { credentialSchema, providerModelSchema } from '../bundle';
import { exportBundle } from '../import-export';
import type { ControlPlaneData } from '../model';
import { applyEntries, conflict, maskSecret, notFound, parseBody } from './apply-entries';
import type { Entry, Section } from './apply-entries';
import type { ControlPlaneEditor } from './control-plane-editor';

export type ChildKind = 'credentials' | 'models' | 'keys';

export const keyCreateSchema = z.strictObject({
  label: z.string().min(1, 'Must not be empty').max(200, 'Must be at most 200 characters'),
  enabled: z.boolean().default(true),
  expires_at: z.iso
    .datetime({ offset: true, error: 'Must be an ISO-8601 date-time or null' })
    .nullable()
    .default(null),
});

interface ChildSpec {
  section: Section;
  parent: string;
  what: string;
  /** The field that names a child within its parent. */
  id: 'label' | 'model';
  schema: typeof credentialSchema | typeof providerModelSchema | typeof keyCreateSchema;
}

export const CHILDREN: Readonly<Record<ChildKind, ChildSpec>> = {
  credentials: {
    section: 'providers',
    parent: 'provider',
    what: 'credential',
    id: 'label',
    schema: credentialSchema,
  },
  models: {
    section: 'providers',
    parent: 'provider',
    what: 'model',
    id: 'model',
    schema: providerModelSchema,
  },
  keys: { section: 'users', parent: 'user', what: 'key', id: 'label', schema: keyCreateSchema },
};

export class ChildService {
  constructor(
    private readonly editor: ControlPlaneEditor,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(kind: ChildKind, parent: string): Promise<Entry[]> {
    return presentChildren(await this.editor.read(), kind, parent);
  }

  async get(kind: ChildKind, parent: string, id: string): Promise<Entry> {
    return findChild(presentChildren(await this.editor.read(), kind, parent), kind, id);
  }

  /** For keys the answer carries `key`, the plaintext, this once. */
  create(kind: ChildKind, parent: string, body: unknown): Promise<Entry> {
    const spec = CHILDREN[kind];
    const child = parseBody(spec.schema, body) as Entry;
    const plaintext = kind === 'keys' ? generateUserKey() : undefined;
    return this.editor.edit(async (data) => {
      const stored = storedChildren(data, kind, parent);
      if (stored.some((c) => c[spec.id] === child[spec.id]))
        throw conflict(`${spec.parent} "${parent}" already has a ${spec.what} "${String(child[spec.id])}".`);
      const next = await this.applyChildren(data, kind, parent, [
        ...stored,
        plaintext === undefined ? child : { ...child, key: plaintext },
      ]);
      const created = findChild(presentChildren(next, kind, parent), kind, String(child[spec.id]));
      return { next, result: plaintext === undefined ? created : { ...created, key: plaintext } };
    });
  }

  /** PATCH: fields present in the body change; a credential's `secret`, when given, replaces the whole secret. */
  update(kind: ChildKind, parent: string, id: string, patch: unknown): Promise<Entry> {
    const spec = CHILDREN[kind];
    return this.editor.edit(async (data) => {
      const stored = storedChildren(data, kind, parent);
      const index = stored.findIndex((c) => c[spec.id] === id);
      const current = stored[index];
      if (current === undefined) throw notFound(spec.what, id);
      const { digest, ...editable } = current;
      const merged = parseBody(spec.schema, { ...editable, ...asObject(patch) }) as Entry;
      const renamed = merged[spec.id] !== id;
      if (renamed && stored.some((c) => c[spec.id] === merged[spec.id]))
        throw conflict(`${spec.parent} "${parent}" already has a ${spec.what} "${String(merged[spec.id])}".`);
      const replacement = kind === 'keys' ? { ...merged, digest } : merged;
      const next = await this.applyChildren(data, kind, parent, stored.with(index, replacement));
      return { next, result: findChild(presentChildren(next, kind, parent), kind, String(merged[spec.id])) };
    });
  }

  remove(kind: ChildKind, parent: string, id: string): Promise<void> {
    const spec = CHILDREN[kind];
    return this.editor.edit(async (data) => {
      const stored = storedChildren(data, kind, parent);
      if (!stored.some((c) => c[spec.id] === id)) throw notFound(spec.what, id);
      const next = await this.applyChildren(
        data,
        kind,
        parent,
        stored.filter((c) => c[spec.id] !== id),
      );
      return { next, result: undefined };
    });
  }

  /** Adds pulled upstream ids that the list lacks (source `pulled`); existing entries stay as they are. */
  mergePulledModels(parent: string, ids: readonly string[]): Promise<{ added: string[]; data: Entry[] }> {
    return this.editor.edit(async (data) => {
      const stored = storedChildren(data, 'models', parent);
      const known = new Set(stored.map((m) => m['model']));
      const added = [...new Set(ids)].filter((id) => !known.has(id)).sort();
      if (added.length === 0) return { next: undefined, result: { added, data: stored } };
      const fresh = added.map((model) => ({ model, display_name: null, source: 'pulled', enabled: true }));
      const next = await this.applyChildren(data, 'models', parent, [...stored, ...fresh]);
      return { next, result: { added, data: presentChildren(next, 'models', parent) } };
    });
  }

  private async applyChildren(
    data: ControlPlaneData,
    kind: ChildKind,
    parent: string,
    children: Entry[],
  ): Promise<ControlPlaneData> {
    const spec = CHILDREN[kind];
    const entry = { ...parentEntry(data, kind, parent), [kind]: children };
    return applyEntries(data, spec.section, [entry], [spec.section, 0, kind], this.now());
  }
}

function asObject(value: unknown): Entry {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Entry;
  return {};
}

function parentEntry(data: ControlPlaneData, kind: ChildKind, parent: string): Entry {
  const spec = CHILDREN[kind];
  const entry = (exportBundle(data)[spec.section] as Entry[]).find((e) => e['name'] === parent);
  if (entry === undefined) throw notFound(spec.parent, parent);
  return entry;
}

/** Children as the bundle holds them (credentials without secrets, keys by digest). */
function storedChildren(data: ControlPlaneData, kind: ChildKind, parent: string): Entry[] {
  const list = parentEntry(data, kind, parent)[kind];
  return Array.isArray(list) ? (list as Entry[]) : [];
}

/** Children as the admin API shows them: secrets masked, keys by hint, never by digest. */
function presentChildren(data: ControlPlaneData, kind: ChildKind, parent: string): Entry[] {
  const stored = storedChildren(data, kind, parent);
  if (kind === 'models') return stored;
  if (kind === 'credentials') {
    const providerId = data.providers.find((p) => p.name === parent)?.id;
    const secrets = new Map(
      data.credentials.filter((c) => c.providerId === providerId).map((c) => [c.label, c.secret]),
    );
    return stored.map((c) => ({
      ...c,
      secret: Object.fromEntries(
        Object.entries(secrets.get(String(c['label'])) ?? {}).map(([field, value]) => [
          field,
          maskSecret(value),
        ]),
      ),
    }));
  }
  const userId = data.users.find((u) => u.name === parent)?.id;
  return data.userKeys
    .filter((k) => k.userId === userId)
    .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
    .map((k) => ({
      label: k.label,
      hint: k.hint,
      enabled: k.enabled,
      expires_at: k.expiresAt,
      created_at: k.createdAt,
    }));
}

function findChild(children: readonly Entry[], kind: ChildKind, id: string): Entry {
  const spec = CHILDREN[kind];
  const child = children.find((c) => c[spec.id] === id);
  if (child === undefined) throw notFound(spec.what, id);
  return child;
}
