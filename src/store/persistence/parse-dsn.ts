/**
 * Turns the database setting (GPROXY_DATABASE_URL or --db) into a backend choice. Only SQLite
 * exists so far; server databases are recognised so their users get a clear answer.
 */

export type DsnTarget = { kind: 'sqlite'; file: string };

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
    case 'sqlite3': {
      // sqlite:///abs/path.db -> /abs/path.db ; sqlite://relative.db -> relative.db
      if (!rest.startsWith('//')) return sqliteFile(rest, dsn);
      return sqliteFile(rest.slice(2), dsn);
    }
    case 'file':
      // file:path.db, file:/abs/path.db and file:///abs/path.db
      return sqliteFile(rest.startsWith('//') ? rest.slice(2) : rest, dsn);
    case 'postgres':
    case 'postgresql':
    case 'mysql':
    case 'mariadb':
      throw new Error(`Database "${scheme}" is not supported yet; use SQLite (sqlite:///path/to/gproxy.db)`);
    default:
      throw new Error(
        `Unsupported database DSN scheme "${scheme}:"; use sqlite:///abs/path.db, sqlite://relative.db, file:path.db or a bare path`,
      );
  }
}

function sqliteFile(path: string, dsn: string): DsnTarget {
  if (path.includes('?')) {
    throw new Error(
      `SQLite DSN "${dsn}" has query parameters, which are not supported; give only the file path`,
    );
  }
  if (path === '' || path.endsWith('/')) throw new Error(`SQLite DSN "${dsn}" names no file`);
  return { kind: 'sqlite', file: path };
}
