/** `gproxy import --in FILE` and `gproxy export --out FILE [--include-secrets]`. */
import { readFile, writeFile } from 'node:fs/promises';
import { exportBundle, importBundle } from '../../control-plane/import-export';
import { storeLocation, type ParsedCommandLine } from './config';
import { openStore } from './open-store';

type Flags = ParsedCommandLine['flags'];
type Env = Readonly<Record<string, string | undefined>>;

export async function importCommand(flags: Flags, env: Env): Promise<number> {
  const file = flags.in;
  if (typeof file !== 'string') throw new Error('import needs --in FILE');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const store = await openStore(storeLocation(flags, env).dsn, env['GPROXY_MASTER_KEY'] || undefined);
  try {
    const result = await importBundle(store, json);
    process.stdout.write(`imported ${file}: ${result.changes.length} change(s)\n`);
    for (const change of result.changes) process.stdout.write(`  ${change}\n`);
    return 0;
  } finally {
    await store.close();
  }
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
