/**
 * `gproxy import --in FILE [--dry-run]`, `gproxy export --out FILE [--include-secrets]`, and the
 * first-boot import of GPROXY_IMPORT_FILE.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { exportBundle, importBundle } from '../../control-plane/import-export';
import type { ControlPlaneStore } from '../../control-plane/ports';
import { storeLocation, type ParsedCommandLine } from './config';
import { openStore } from './open-store';

type Flags = ParsedCommandLine['flags'];
type Env = Readonly<Record<string, string | undefined>>;

async function readBundleFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function importCommand(flags: Flags, env: Env): Promise<number> {
  const file = flags.in;
  if (typeof file !== 'string') throw new Error('import needs --in FILE');
  const dryRun = flags['dry-run'] === true;
  const json = await readBundleFile(file);
  const store = await openStore(storeLocation(flags, env).dsn, env['GPROXY_MASTER_KEY'] || undefined);
  try {
    const result = await importBundle(store, json, { dryRun });
    const verb = dryRun ? 'would import' : 'imported';
    process.stdout.write(
      `${verb} ${file}: ${result.changes.length} change(s)${dryRun ? ' (dry run, nothing saved)' : ''}\n`,
    );
    for (const change of result.changes) process.stdout.write(`  ${change}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * GPROXY_IMPORT_FILE: imports the bundle when the installation is new (no users and no
 * providers yet), before the first-boot admin is created, so a bundle's own admin users count.
 * Resolves to the change count, or null when the installation was not new.
 */
export async function importOnFirstBoot(
  store: Pick<ControlPlaneStore, 'countUsers' | 'loadControlPlane' | 'saveControlPlane'>,
  file: string,
): Promise<number | null> {
  if ((await store.countUsers()) > 0 || (await store.loadControlPlane()).providers.length > 0) return null;
  const result = await importBundle(store, await readBundleFile(file));
  return result.changes.length;
}

export async function exportCommand(flags: Flags, env: Env): Promise<number> {
  const file = flags.out;
  const includeSecrets = flags['include-secrets'] === true;
  const store = await openStore(storeLocation(flags, env).dsn, env['GPROXY_MASTER_KEY'] || undefined);
  try {
    const bundle = exportBundle(await store.loadControlPlane(), { includeSecrets });
    const text = `${JSON.stringify(bundle, null, 2)}\n`;
    if (typeof file !== 'string' || file === '-') {
      process.stdout.write(text);
    } else {
      // Secrets in a file: readable by the owner only.
      await writeFile(file, text, { mode: includeSecrets ? 0o600 : 0o644 });
      process.stderr.write(`exported to ${file}${includeSecrets ? ' (with secrets, mode 0600)' : ''}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
