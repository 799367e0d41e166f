/**
 * Command-line flags and GPROXY_* environment variables. A flag wins over its variable, which wins
 * over the default. Invalid values fail at start with a message naming the flag.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';

export interface ServeConfig {
  host: string;
  port: number;
  dataDir: string;
  /** Persistence DSN; defaults to the SQLite file in the data dir. */
  dsn: string;
  /** Cache backend DSN: memory:// (default), redis://, rediss://, upstash+https:// (docs/cache.md). */
  cacheUrl: string;
  /** GPROXY_CACHE_TOKEN: the REST token of an upstash+https:// cache. */
  cacheToken: string | undefined;
  adminKey: string | undefined;
  logLevel: string;
  maxBodyBytes: number;
  maxAttempts: number;
  /** Gateway requests in flight at once; beyond it new ones are shed with 503. */
  maxInFlight: number;
  shutdownTimeoutMs: number;
  /** How often the control-plane version stamp is polled. */
  reloadIntervalMs: number;
  /** GPROXY_QUOTA_SEED_INTERVAL_MS: how often an instance checks that quota counters are seeded. */
  quotaSeedIntervalMs: number;
  /** GPROXY_QUOTA_RECONCILE_INTERVAL_MS: how often every quota counter is checked against the ledger. */
  quotaReconcileIntervalMs: number;
  /** GPROXY_QUOTA_HOLD_BEAT_MS: how often an instance journals its quota reservations in flight. */
  quotaHoldBeatMs: number;
  /** Keep-alive interval of synthetic streams (streaming clients of non-streaming upstreams). */
  keepAliveMs: number;
  /** GPROXY_UPSTREAM_PROXY: proxy for upstreams whose provider and credential name none. */
  upstreamProxy: string | undefined;
  /** GPROXY_CONSOLE_ORIGINS: origins (besides the gateway's own) allowed to send console-session writes. */
  consoleOrigins: string[];
  /** GPROXY_IMPORT_FILE: a bundle imported when the installation is new. */
  importFile: string | undefined;
  /** GPROXY_MASTER_KEY: encrypts credential secrets at rest (AES-256-GCM). */
  masterKey: string | undefined;
  /** `totalMs` 0 = no bound on the whole exchange. */
  timeouts: { connectMs: number; firstByteMs: number; idleMs: number; totalMs?: number };
}

type Env = Readonly<Record<string, string | undefined>>;

const FLAG_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  dsn: { type: 'string' },
  'cache-url': { type: 'string' },
  'redis-url': { type: 'string' },
  'log-level': { type: 'string' },
  'max-in-flight': { type: 'string' },
  in: { type: 'string' },
  out: { type: 'string' },
  'include-secrets': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface ParsedCommandLine {
  command: string;
  flags: Partial<Record<keyof typeof FLAG_OPTIONS, string | boolean>>;
}

export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: FLAG_OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 1) throw new Error(`Unexpected argument: ${positionals[1]}`);
  return { command: positionals[0] ?? 'serve', flags: values };
}

function stringFlag(flags: ParsedCommandLine['flags'], name: keyof typeof FLAG_OPTIONS): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got '${raw}'.`);
  }
  return value;
}

/** Reads the settings shared by every command that opens the store. */
export function storeLocation(flags: ParsedCommandLine['flags'], env: Env): { dataDir: string; dsn: string } {
  const dataDir = path.resolve(stringFlag(flags, 'data-dir') ?? env['GPROXY_DATA_DIR'] ?? './data');
  const dsn = stringFlag(flags, 'dsn') ?? env['GPROXY_DSN'] ?? `sqlite://${path.join(dataDir, 'gproxy.db')}`;
  return { dataDir, dsn };
}

export function serveConfig(flags: ParsedCommandLine['flags'], env: Env): ServeConfig {
  const { dataDir, dsn } = storeLocation(flags, env);
  return {
    host: stringFlag(flags, 'host') ?? env['GPROXY_HOST'] ?? '127.0.0.1',
    port: integer('--port / GPROXY_PORT', stringFlag(flags, 'port') ?? env['GPROXY_PORT'], 8787, 0, 65535),
    dataDir,
    dsn,
    // --redis-url / GPROXY_REDIS_URL are kept as aliases of the cache URL.
    cacheUrl:
      stringFlag(flags, 'cache-url') ??
      stringFlag(flags, 'redis-url') ??
      (env['GPROXY_CACHE_URL'] || env['GPROXY_REDIS_URL'] || 'memory://'),
    cacheToken: env['GPROXY_CACHE_TOKEN'] || undefined,
    adminKey: env['GPROXY_ADMIN_KEY'] || undefined,
    upstreamProxy: env['GPROXY_UPSTREAM_PROXY'] || undefined,
    masterKey: env['GPROXY_MASTER_KEY'] || undefined,
    importFile: env['GPROXY_IMPORT_FILE'] || undefined,
    consoleOrigins: (env['GPROXY_CONSOLE_ORIGINS'] ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    logLevel: stringFlag(flags, 'log-level') ?? env['GPROXY_LOG_LEVEL'] ?? 'info',
    maxBodyBytes: integer(
      'GPROXY_MAX_BODY_BYTES',
      env['GPROXY_MAX_BODY_BYTES'],
      32 * 1024 * 1024,
      1024,
      2 ** 31,
    ),
    maxAttempts: integer('GPROXY_MAX_ATTEMPTS', env['GPROXY_MAX_ATTEMPTS'], 6, 1, 100),
    maxInFlight: integer(
      '--max-in-flight / GPROXY_MAX_IN_FLIGHT',
      stringFlag(flags, 'max-in-flight') ?? env['GPROXY_MAX_IN_FLIGHT'],
      1024,
      1,
      1_000_000,
    ),
    shutdownTimeoutMs: integer(
      'GPROXY_SHUTDOWN_TIMEOUT_MS',
      env['GPROXY_SHUTDOWN_TIMEOUT_MS'],
      15_000,
      0,
      3_600_000,
    ),
    keepAliveMs: integer(
      'GPROXY_STREAM_KEEPALIVE_MS',
      env['GPROXY_STREAM_KEEPALIVE_MS'],
      10_000,
      10,
      600_000,
    ),
    reloadIntervalMs: integer(
      'GPROXY_RELOAD_INTERVAL_MS',
      env['GPROXY_RELOAD_INTERVAL_MS'],
      1000,
      50,
      3_600_000,
    ),
    quotaSeedIntervalMs: integer(
      'GPROXY_QUOTA_SEED_INTERVAL_MS',
      env['GPROXY_QUOTA_SEED_INTERVAL_MS'],
      5000,
      50,
      3_600_000,
    ),
    quotaHoldBeatMs: integer(
      'GPROXY_QUOTA_HOLD_BEAT_MS',
      env['GPROXY_QUOTA_HOLD_BEAT_MS'],
      5000,
      50,
      600_000,
    ),
    quotaReconcileIntervalMs: integer(
      'GPROXY_QUOTA_RECONCILE_INTERVAL_MS',
      env['GPROXY_QUOTA_RECONCILE_INTERVAL_MS'],
      600_000,
      1000,
      86_400_000,
    ),
    timeouts: {
      connectMs: integer('GPROXY_CONNECT_TIMEOUT_MS', env['GPROXY_CONNECT_TIMEOUT_MS'], 10_000, 1, 600_000),
      firstByteMs: integer(
        'GPROXY_FIRST_BYTE_TIMEOUT_MS',
        env['GPROXY_FIRST_BYTE_TIMEOUT_MS'],
        120_000,
        1,
        3_600_000,
      ),
      idleMs: integer('GPROXY_IDLE_TIMEOUT_MS', env['GPROXY_IDLE_TIMEOUT_MS'], 120_000, 1, 3_600_000),
      ...totalTimeout(
        integer('GPROXY_TOTAL_TIMEOUT_MS', env['GPROXY_TOTAL_TIMEOUT_MS'], 900_000, 0, 86_400_000),
      ),
    },
  };
}

/** 0 turns the bound off (long-running streams); absent keeps the transports timer-free. */
function totalTimeout(totalMs: number): { totalMs?: number } {
  return totalMs === 0 ? {} : { totalMs };
}

export const USAGE = `Usage: gproxy [command] [options]

Commands:
  serve            start the gateway (default)
  import           import a control-plane bundle:  gproxy import --in bundle.json [--dry-run]
  export           export the control plane:       gproxy export --out bundle.json [--include-secrets]
  generate-key     print a new random user API key

Options (each also as an environment variable):
  --host HOST          GPROXY_HOST       listen address (127.0.0.1)
  --port PORT          GPROXY_PORT       listen port (8787)
  --data-dir DIR       GPROXY_DATA_DIR   data directory (./data)
  --dsn DSN            GPROXY_DSN        persistence DSN (sqlite://<data-dir>/gproxy.db)
  --cache-url URL      GPROXY_CACHE_URL  cache: memory:// (default), redis://, rediss://, upstash+https://
                       GPROXY_CACHE_TOKEN  REST token of an upstash+https:// cache
  --redis-url URL      GPROXY_REDIS_URL  alias of --cache-url / GPROXY_CACHE_URL
  --log-level LEVEL    GPROXY_LOG_LEVEL  debug | info | warn | error (info)
  --max-in-flight N    GPROXY_MAX_IN_FLIGHT  requests in flight before shedding with 503 (1024)
                       GPROXY_ADMIN_KEY  admin API key to create on first boot
                       GPROXY_MASTER_KEY encrypts credential secrets at rest (32 bytes, base64 or hex)
                       GPROXY_CONSOLE_ORIGINS  extra origins allowed to send console-session writes
                       GPROXY_UPSTREAM_PROXY  default upstream proxy (http, https or socks5 URL)
                       GPROXY_MAX_BODY_BYTES (32 MiB), GPROXY_MAX_ATTEMPTS (6),
                       GPROXY_SHUTDOWN_TIMEOUT_MS (15000), GPROXY_CONNECT_TIMEOUT_MS (10000),
                       GPROXY_FIRST_BYTE_TIMEOUT_MS (120000), GPROXY_IDLE_TIMEOUT_MS (120000),
                       GPROXY_TOTAL_TIMEOUT_MS (900000; 0 = none),
                       GPROXY_RELOAD_INTERVAL_MS (1000), GPROXY_STREAM_KEEPALIVE_MS (10000),
                       GPROXY_QUOTA_SEED_INTERVAL_MS (5000),
                       GPROXY_QUOTA_RECONCILE_INTERVAL_MS (600000), GPROXY_QUOTA_HOLD_BEAT_MS (5000)
`;
