import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportBundle, importBundle } from '../../src/control-plane/import-export';
import { SecretEnvelopeError, sealerFromEnv } from '../../src/control-plane/secret-envelope';
import type { SecretSealer } from '../../src/control-plane/secret-envelope';
import { KyselyControlPlaneStore } from '../../src/store/persistence/kysely-store';
import { openSqliteStore } from '../../src/store/persistence/sqlite/open-sqlite';
import { normalize, sampleData } from './fixtures';

const KEY = Buffer.alloc(32, 0x2a).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 0x07).toString('hex');

async function storedSecrets(store: KyselyControlPlaneStore): Promise<Record<string, string>> {
  const rows = await store.db.selectFrom('credentials').select(['id', 'secret']).execute();
  return Object.fromEntries(rows.map((row) => [row.id, row.secret]));
}

async function loadError(store: KyselyControlPlaneStore): Promise<Error> {
  try {
    await store.loadControlPlane();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected loading to fail');
}

describe('credential secrets at rest', () => {
  let keyed: SecretSealer;
  let store: KyselyControlPlaneStore;
  beforeEach(async () => {
    keyed = await sealerFromEnv(KEY);
    store = await openSqliteStore({ file: ':memory:', sealer: keyed });
  });
  afterEach(async () => {
    await store.close();
  });

  /** Another store over the same database, as another process with other settings would be. */
  const sameDb = (sealer?: SecretSealer) => new KyselyControlPlaneStore(store.db, { sealer });

  it('stores plaintext JSON without a master key', async () => {
    const plain = await openSqliteStore({ file: ':memory:' });
    try {
      const data = await sampleData();
      await plain.saveControlPlane(data);
      expect((await storedSecrets(plain))['c-oa-main']).toBe('{"api_key":"sk-upstream"}');
      expect(normalize(await plain.loadControlPlane())).toEqual(normalize(data));
    } finally {
      await plain.close();
    }
  });

  it('seals every secret with a master key and loads them back as plaintext', async () => {
    const data = await sampleData();
    await store.saveControlPlane(data);
    const stored = await storedSecrets(store);
    expect(Object.keys(stored).sort()).toEqual(['c-an', 'c-oa-b', 'c-oa-main', 'c-oa-off']);
    for (const value of Object.values(stored)) {
      expect(value).toMatch(/^v1:/);
      expect(value).not.toContain('sk-');
    }
    expect(normalize(await store.loadControlPlane())).toEqual(normalize(data));
    // Settings and budgets are not secret and stay readable.
    const backup = await store.db
      .selectFrom('credentials')
      .select(['settings', 'rpm', 'tpm'])
      .where('id', '=', 'c-oa-b')
      .executeTakeFirstOrThrow();
    expect(backup).toEqual({
      settings: '{"proxy":"socks5://127.0.0.1:1080","tls":{"minVersion":"TLSv1.3","alpnProtocols":["h2"]}}',
      rpm: 60,
      tpm: 100000,
    });
  });

  it('keeps the stored envelope of an unchanged secret and re-seals a changed one', async () => {
    const data = await sampleData();
    await store.saveControlPlane(data);
    const before = await storedSecrets(store);
    data.credentials.find((c) => c.id === 'c-oa-main')!.secret = { api_key: 'sk-rotated' };
    await store.saveControlPlane(data);
    const after = await storedSecrets(store);
    expect(after['c-oa-b']).toBe(before['c-oa-b']);
    expect(after['c-an']).toBe(before['c-an']);
    expect(after['c-oa-main']).not.toBe(before['c-oa-main']);
    expect(after['c-oa-main']).toMatch(/^v1:/);
    expect((await store.loadControlPlane()).credentials.find((c) => c.id === 'c-oa-main')?.secret).toEqual({
      api_key: 'sk-rotated',
    });
  });

  it('refuses to load sealed secrets without a master key, naming the credential and not the secret', async () => {
    await store.saveControlPlane(await sampleData());
    const error = await loadError(sameDb());
    expect(error).toBeInstanceOf(SecretEnvelopeError);
    expect(error.message).toMatch(
      /^Credential "an\/main" \(id c-an\): the stored secret is encrypted but GPROXY_MASTER_KEY is not set/,
    );
    expect(error.message).not.toContain('sk-');
  });

  it('refuses to load with the wrong master key', async () => {
    await store.saveControlPlane(await sampleData());
    const error = await loadError(sameDb(await sealerFromEnv(OTHER_KEY)));
    expect(error).toBeInstanceOf(SecretEnvelopeError);
    expect(error.message).toMatch(
      /^Credential "an\/main" \(id c-an\): the stored secret cannot be decrypted with this GPROXY_MASTER_KEY/,
    );
  });

  it('does not open a sealed secret moved onto another credential', async () => {
    await store.saveControlPlane(await sampleData());
    const stored = await storedSecrets(store);
    // Someone with database access swaps two credentials' secrets.
    await store.db
      .updateTable('credentials')
      .set({ secret: stored['c-oa-b']! })
      .where('id', '=', 'c-oa-main')
      .execute();
    await store.db
      .updateTable('credentials')
      .set({ secret: stored['c-oa-main']! })
      .where('id', '=', 'c-oa-b')
      .execute();
    const error = await loadError(store);
    expect(error.message).toMatch(
      /^Credential "oa\/(main|backup)" \(id c-oa-(main|b)\): .*cannot be decrypted/,
    );
  });

  it('reads plaintext rows after a master key is added, and seals them on the next save', async () => {
    const data = await sampleData();
    await sameDb().saveControlPlane(data);
    const plaintext = await storedSecrets(store);
    expect(plaintext['c-oa-main']).toBe('{"api_key":"sk-upstream"}');

    // The key is now set: old rows still load, and loading alone writes nothing.
    const loaded = await store.loadControlPlane();
    expect(normalize(loaded)).toEqual(normalize(data));
    expect(await storedSecrets(store)).toEqual(plaintext);

    const version = await store.readControlPlaneVersion();
    await store.saveControlPlane(loaded);
    expect(await store.readControlPlaneVersion()).toBe(version + 1);
    for (const value of Object.values(await storedSecrets(store))) expect(value).toMatch(/^v1:/);
    expect(normalize(await store.loadControlPlane())).toEqual(normalize(data));
    // From here on the key is required.
    await expect(sameDb().loadControlPlane()).rejects.toThrow(/GPROXY_MASTER_KEY is not set/);
  });

  it('imports into a sealed store and exports plaintext secrets when asked', async () => {
    await store.saveControlPlane(await sampleData());
    const exported = exportBundle(await store.loadControlPlane(), { includeSecrets: true });
    const main = exported.providers
      .find((p) => p.name === 'oa')
      ?.credentials?.find((c) => c.label === 'main');
    expect(main?.secret).toEqual({ api_key: 'sk-upstream' });

    const copy = await openSqliteStore({ file: ':memory:', sealer: await sealerFromEnv(OTHER_KEY) });
    try {
      await importBundle(copy, JSON.parse(JSON.stringify(exported)));
      for (const value of Object.values(await storedSecrets(copy))) expect(value).toMatch(/^v1:/);
      expect(exportBundle(await copy.loadControlPlane(), { includeSecrets: true })).toEqual(exported);
      // Re-importing the same bundle changes nothing, although every stored envelope differs.
      expect(await importBundle(copy, exported)).toEqual({ changes: [], saved: false });
    } finally {
      await copy.close();
    }
  });
});

describe('credential secrets in a database file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gproxy-sealed-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('never writes a secret to disk in the clear once a master key is set', async () => {
    const file = join(dir, 'gproxy.db');
    const store = await openSqliteStore({ file, sealer: await sealerFromEnv(KEY) });
    try {
      await store.saveControlPlane(await sampleData());
    } finally {
      await store.close();
    }
    const bytes = await readFile(file);
    const wal = await readFile(`${file}-wal`).catch(() => Buffer.alloc(0));
    for (const content of [bytes, wal]) expect(content.includes('sk-upstream')).toBe(false);

    const reopened = await openSqliteStore({ file, sealer: await sealerFromEnv(KEY) });
    try {
      expect(normalize(await reopened.loadControlPlane())).toEqual(normalize(await sampleData()));
    } finally {
      await reopened.close();
    }
  });
});
