/**
 * Turns the database setting (--dsn / GPROXY_DSN) into a backend choice. Forms (docs/persistence.md):
 *
 * - SQLite (embedded, better-sqlite3): `sqlite:///abs.db`, `sqlite://rel.db`, `file:path.db`, a bare
 *   path, or `:memory:`.
 * - PostgreSQL: `postgres://` or `postgresql://user:password@host:port/database?sslmode=…`.
 * - MySQL / MariaDB: `mysql://` or `mariadb://user:password@host:port/database?sslmode=…`.
 * - libSQL / Turso: `libsql://host?authToken=…` (HTTPS; `&tls=0` with an explicit port for plain
 *   HTTP), `libsql+https://host?authToken=…`, `libsql+http://host:port`, and a local file through
 *   the libSQL engine with `libsql+file:path.db`. A bare `https://` is refused: it names no
 *   database kind.
 *
 * Error messages show the DSN with its password and token masked.
 */

export type TlsMode = 'disable' | 'require' | 'verify-full';

/** A database server reached over TCP (Postgres, MySQL, MariaDB). */
export interface ServerDsn {
  host: string;
  port: number;
  user: string | undefined;
  password: string | undefined;
  database: string;
  /** disable: plain TCP; require: TLS without certificate checks; verify-full: TLS, verified. */
  tls: TlsMode;
  /** Most connections the pool opens; the backend's default when undefined. */
  poolMax: number | undefined;
}

export type DsnTarget =
  | { kind: 'sqlite'; file: string }
  | ({ kind: 'postgres'; socketDir: string | undefined } & ServerDsn)
  | ({ kind: 'mysql'; flavor: 'mysql' | 'mariadb' } & ServerDsn)
  | {
      kind: 'libsql';
      /** What @libsql/client opens: `libsql:`, `https:`/`http:` or `file:` URL, without the token. */
      url: string;
      authToken: string | undefined;
    };

export type PostgresTarget = Extract<DsnTarget, { kind: 'postgres' }>;
export type MysqlTarget = Extract<DsnTarget, { kind: 'mysql' }>;
export type LibsqlTarget = Extract<DsnTarget, { kind: 'libsql' }>;

const MEMORY = ':memory:';

export function parseDsn(dsn: string): DsnTarget {
  const text = dsn.trim();
  if (text === '') throw new Error('Database DSN is empty; use e.g. sqlite:///var/lib/gproxy/gproxy.db');
  if (text === MEMORY) return { kind: 'sqlite', file: MEMORY };

  // A one-letter "scheme" is a Windows drive (C:\data\gproxy.db), i.e. a bare path.
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):/.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'sqlite', file: text };

  const rest = text.slice(scheme.length + 1);
  switch (scheme) {
    case 'sqlite':
    case 'sqlite3':
      // sqlite:///abs/path.db -> /abs/path.db ; sqlite://relative.db -> relative.db
      return { kind: 'sqlite', file: filePath(rest.startsWith('//') ? rest.slice(2) : rest, dsn, 'SQLite') };
    case 'file':
      // file:path.db, file:/abs/path.db and file:///abs/path.db
      return { kind: 'sqlite', file: filePath(rest.startsWith('//') ? rest.slice(2) : rest, dsn, 'SQLite') };
    case 'postgres':
    case 'postgresql':
      return postgresTarget(text);
    case 'mysql':
    case 'mariadb': {
      const { server } = serverDsn(text, 3306, []);
      if (server.host === '') throw new Error(`Database DSN "${redactDsn(text)}" names no host`);
      return { kind: 'mysql', flavor: scheme, ...server };
    }
    case 'libsql':
    case 'libsql+https':
    case 'libsql+http':
      return libsqlRemote(text, scheme);
    case 'libsql+file': {
      const path = filePath(rest.startsWith('//') ? rest.slice(2) : rest, dsn, 'libSQL file');
      return { kind: 'libsql', url: `file:${path}`, authToken: undefined };
    }
    case 'http':
    case 'https':
      throw new Error(
        `A "${scheme}:" DSN does not say which database it is; for Turso/libSQL write libsql://host?authToken=… or libsql+${scheme}://host`,
      );
    default:
      throw new Error(
        `Unsupported database DSN scheme "${scheme}:"; use sqlite:///abs/path.db, postgres://…, mysql://…, mariadb://… or libsql://…`,
      );
  }
}

/** The DSN with any password and auth token masked, for logs and error messages. */
export function redactDsn(dsn: string): string {
  return dsn
    .replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^:/@?#]*):[^@/?#]*@/, '$1:***@')
    .replace(/([?&](?:authToken|password)=)[^&#]*/gi, '$1***');
}

function filePath(path: string, dsn: string, what: string): string {
  if (path.includes('?')) {
    throw new Error(
      `${what} DSN "${dsn}" has query parameters, which are not supported; give only the file path`,
    );
  }
  if (path === '' || path.endsWith('/')) throw new Error(`${what} DSN "${dsn}" names no file`);
  return path;
}

function postgresTarget(text: string): DsnTarget {
  const { server, params } = serverDsn(text, 5432, ['host']);
  // libpq's form for a Unix socket: postgres://user@/db?host=/var/run/postgresql
  const socketDir = params.get('host') ?? undefined;
  if (socketDir !== undefined && !socketDir.startsWith('/')) {
    throw new Error(
      `Postgres DSN "${redactDsn(text)}": ?host= must be a socket directory (an absolute path)`,
    );
  }
  if (socketDir === undefined && server.host === '') {
    throw new Error(`Postgres DSN "${redactDsn(text)}" names no host`);
  }
  return { kind: 'postgres', socketDir, ...server };
}

const SERVER_PARAMS = ['sslmode', 'pool_max'];
const TLS_MODES: readonly TlsMode[] = ['disable', 'require', 'verify-full'];

function serverDsn(
  text: string,
  defaultPort: number,
  extraParams: readonly string[],
): { server: ServerDsn; params: URLSearchParams } {
  const shown = redactDsn(text);
  const url = parseUrl(text, shown);
  const params = url.searchParams;
  checkParams(params, [...SERVER_PARAMS, ...extraParams], shown);
  const database = decode(url.pathname.replace(/^\//, ''), shown);
  if (database === '' || database.includes('/')) {
    throw new Error(
      `Database DSN "${shown}" must name exactly one database, e.g. ${url.protocol}//host/gproxy`,
    );
  }
  const tls = params.get('sslmode') ?? 'disable';
  if (!TLS_MODES.includes(tls as TlsMode)) {
    throw new Error(`Database DSN "${shown}": sslmode must be one of ${TLS_MODES.join(', ')}`);
  }
  return {
    server: {
      // IPv6 literals come back bracketed ([::1]); drivers want the bare address.
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? defaultPort : Number(url.port),
      user: url.username === '' ? undefined : decode(url.username, shown),
      password: url.password === '' ? undefined : decode(url.password, shown),
      database,
      tls: tls as TlsMode,
      poolMax: positiveInt(params.get('pool_max'), 'pool_max', shown),
    },
    params,
  };
}

function libsqlRemote(text: string, scheme: 'libsql' | 'libsql+https' | 'libsql+http'): DsnTarget {
  const shown = redactDsn(text);
  const url = parseUrl(text, shown);
  checkParams(url.searchParams, scheme === 'libsql' ? ['authToken', 'tls'] : ['authToken'], shown);
  if (url.hostname === '') throw new Error(`libSQL DSN "${shown}" names no host`);
  if (url.username !== '' || url.password !== '') {
    throw new Error(`libSQL DSN "${shown}": give the token as ?authToken=…, not as user:password@`);
  }
  const authToken = url.searchParams.get('authToken') ?? undefined;
  url.searchParams.delete('authToken');
  const target = scheme === 'libsql' ? 'libsql:' : scheme === 'libsql+https' ? 'https:' : 'http:';
  const query = url.searchParams.size === 0 ? '' : `?${url.searchParams.toString()}`;
  const path = url.pathname === '/' ? '' : url.pathname;
  return { kind: 'libsql', url: `${target}//${url.host}${path}${query}`, authToken };
}

function parseUrl(text: string, shown: string): URL {
  try {
    return new URL(text);
  } catch (error) {
    throw new Error(`Database DSN "${shown}" is not a valid URL`, { cause: error });
  }
}

function decode(value: string, shown: string): string {
  try {
    return decodeURIComponent(value);
  } catch (error) {
    throw new Error(`Database DSN "${shown}" has a malformed %-escape`, { cause: error });
  }
}

function checkParams(params: URLSearchParams, allowed: readonly string[], shown: string): void {
  for (const key of params.keys()) {
    if (!allowed.includes(key)) {
      const known = allowed.length === 0 ? 'none are supported' : `supported: ${allowed.join(', ')}`;
      throw new Error(`Database DSN "${shown}" has an unknown parameter "${key}" (${known})`);
    }
  }
}

function positiveInt(value: string | null, name: string, shown: string): number | undefined {
  if (value === null) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`Database DSN "${shown}": ${name} must be a positive integer`);
  return n;
}
