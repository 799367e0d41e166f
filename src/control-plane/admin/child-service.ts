/**
 * The child lists of named records, each under its parent: a provider's credentials (secrets are
 * write-only: reads show them masked) and model list, and a user's API keys (the plaintext key is
 * shown once, in the answer to its creation; only its digest is stored). Writes go through the
 * bundle like every admin write (apply-entries.ts): the parent entry is re-applied with its new
 * child list, and children left as they were keep their stored secrets and digests. With a
 * master key, a new API key is also kept sealed (AES-GCM, its digest as associated data) so an
 * admin can reveal it later; without one it is shown once and never again.
 */
import { z } from 'zod';
import { sha256Hex } from '../../core/digest';
import { GatewayError } from '../../core/errors';
import { generateUserKey } from '../../core/ids';
import { credentialSchema, permissionsSchema, providerModelSchema, teamSchema } from '../bundle';
import type { SecretSealer } from '../secret-envelope';
import { exportBundle } from '../import-export';
import type { ControlPlaneData } from '../model';
import { applyEntries, conflict, maskSecret, notFound, parseBody } from './apply-entries';
import type { Entry, Section } from './apply-entries';
import type { ControlPlaneEditor } from './control-plane-editor';

export type ChildKind = 'credentials' | 'models' | 'keys' | 'teams';

export const keyCreateSchema = z.strictObject({
  label: z.string().min(1, 'Must not be empty').max(200, 'Must be at most 200 characters'),
  enabled: z.boolean().default(true),
  expires_at: z.iso
    .datetime({ offset: true, error: 'Must be an ISO-8601 date-time or null' })
    .nullable()
    .default(null),
  permissions: permissionsSchema,
});

/** Associated data binding a sealed key to its digest, so a sealed copy moved to another key does not open. */
const sealContext = (digest: string): string => `user-key:${digest}`;

interface ChildSpec {
  section: Section;
  parent: string;
  what: string;
  /** The field that names a child within its parent. */
  id: 'label' | 'model' | 'name';
  schema: typeof credentialSchema | typeof providerModelSchema | typeof keyCreateSchema | typeof teamSchema;
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
  teams: { section: 'orgs', parent: 'org', what: 'team', id: 'name', schema: teamSchema },
};

export interface ChildServiceOptions {
  now?: () => Date;
  /** Seals new API keys for a later reveal; absent or not encrypting (no master key): not kept. */
  keySealer?: SecretSealer | undefined;
}

export class ChildService {
  private readonly now: () => Date;
  private readonly keySealer: SecretSealer | undefined;

  constructor(
    private readonly editor: ControlPlaneEditor,
    options: ChildServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.keySealer = options.keySealer?.encrypts === true ? options.keySealer : undefined;
  }

  async list(kind: ChildKind, parent: string): Promise<Entry[]> {
    return presentChildren(await this.editor.read(), kind, parent);
  }

  async get(kind: ChildKind, parent: string, id: string): Promise<Entry> {
    return findChild(presentChildren(await this.editor.read(), kind, parent), kind, id);
  }

  /** For keys the answer carries `key`, the plaintext, this once. */
  async create(kind: ChildKind, parent: string, body: unknown): Promise<Entry> {
    const spec = CHILDREN[kind];
    const child = parseBody(spec.schema, body) as Entry;
    const plaintext = kind === 'keys' ? generateUserKey() : undefined;
    const sealed = plaintext === undefined ? null : await this.sealKey(plaintext);
    return this.editor.edit(async (data) => {
      const stored = storedChildren(data, kind, parent);
      if (stored.some((c) => c[spec.id] === child[spec.id]))
        throw conflict(`${spec.parent} "${parent}" already has a ${spec.what} "${String(child[spec.id])}".`);
      const next = await this.applyChildren(data, kind, parent, [
        ...stored,
        plaintext === undefined ? child : { ...child, key: plaintext },
      ]);
      if (sealed !== null) {
        const key = next.userKeys.find((k) => k.digest === sealed.digest);
        if (key !== undefined) key.sealedKey = sealed.envelope;
      }
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
      // A renamed team keeps its id (and so its users); other children are matched by their name.
      const base = kind === 'teams' && renamed ? renameTeam(data, parent, id, String(merged[spec.id])) : data;
      const next = await this.applyChildren(base, kind, parent, stored.with(index, replacement));
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

  /** The key itself, from its sealed copy (only keys created while a master key was set). */
  async reveal(user: string, label: string): Promise<Entry> {
    const data = await this.editor.read();
    const owner = data.users.find((u) => u.name === user);
    if (owner === undefined) throw notFound('user', user);
    const key = data.userKeys.find((k) => k.userId === owner.id && k.label === label);
    if (key === undefined) throw notFound('key', label);
    if (this.keySealer === undefined)
      throw conflict('Keys cannot be revealed: GPROXY_MASTER_KEY is not set, so no sealed copy is kept.');
    if (key.sealedKey === null)
      throw conflict(
        `Key "${label}" has no sealed copy: it was created without GPROXY_MASTER_KEY, or imported. Create a new key instead.`,
      );
    try {
      return { label, key: await this.keySealer.open(sealContext(key.digest), key.sealedKey) };
    } catch {
      throw new GatewayError(
        'conflict',
        `The sealed copy of key "${label}" does not open with the current GPROXY_MASTER_KEY.`,
      );
    }
  }

  private async sealKey(plaintext: string): Promise<{ digest: string; envelope: string } | null> {
    if (this.keySealer === undefined) return null;
    const digest = await sha256Hex(plaintext);
    return { digest, envelope: await this.keySealer.seal(sealContext(digest), plaintext) };
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

function renameTeam(data: ControlPlaneData, org: string, from: string, to: string): ControlPlaneData {
  const next = structuredClone(data);
  const orgId = next.orgs.find((o) => o.name === org)?.id;
  const team = next.teams.find((t) => t.orgId === orgId && t.name === from);
  if (team !== undefined) team.name = to;
  return next;
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
  if (kind === 'models' || kind === 'teams') return stored;
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
      permissions: [...k.permissions],
      revealable: k.sealedKey !== null,
    }));
}

function findChild(children: readonly Entry[], kind: ChildKind, id: string): Entry {
  const spec = CHILDREN[kind];
  const child = children.find((c) => c[spec.id] === id);
  if (child === undefined) throw notFound(spec.what, id);
  return child;
}
