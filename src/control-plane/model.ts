/**
 * The control-plane domain model: the records an operator configures. Persistence backends store
 * them; the snapshot indexes them for the hot path. Ids are opaque strings; bundles refer by name.
 */

export type RouteStrategy = 'failover';

export interface ProviderRecord {
  id: string;
  name: string;
  /** Channel id, e.g. `openai`, `anthropic`, `gemini`, `mock`. */
  channel: string;
  /** Channel-specific settings, e.g. `{ base_url: "https://api.openai.com/v1" }`. */
  settings: Record<string, unknown>;
  enabled: boolean;
}

export interface CredentialRecord {
  id: string;
  providerId: string;
  label: string;
  /**
   * The secret fields, e.g. `{ api_key: "sk-..." }`. Never logged, never exported by default.
   * Plaintext in memory; sealed at rest when a master key is set (control-plane/secret-envelope).
   */
  secret: Record<string, string>;
  /**
   * Non-secret per-credential settings that override the provider's: `proxy` (URL) and `tls`
   * (a TlsProfile, see channel/contract.ts DispatchOptions).
   */
  settings: Record<string, unknown>;
  weight: number;
  /** Requests per minute this credential may send; null = unlimited. */
  rpm: number | null;
  /** Tokens per minute this credential may consume; null = unlimited. */
  tpm: number | null;
  enabled: boolean;
}

export interface RouteRecord {
  id: string;
  name: string;
  strategy: RouteStrategy;
  enabled: boolean;
}

export interface RouteMemberRecord {
  id: string;
  routeId: string;
  providerId: string;
  /** Upstream model id at that provider. */
  model: string;
  /** Lower tiers are tried first. */
  tier: number;
  weight: number;
  enabled: boolean;
  /** Order within the route as configured. */
  position: number;
}

export interface AliasRecord {
  id: string;
  name: string;
  /** A route name or `provider/model`. */
  target: string;
  position: number;
}

export interface UserRecord {
  id: string;
  name: string;
  isAdmin: boolean;
  enabled: boolean;
  createdAt: string;
}

export interface UserKeyRecord {
  id: string;
  userId: string;
  label: string;
  /** Hex SHA-256 of the key; the key itself is never stored. */
  digest: string;
  /** A short non-secret prefix for display, e.g. `sk-gp-ab12…`. */
  hint: string;
  enabled: boolean;
  /** ISO time after which the key no longer authenticates, or null. */
  expiresAt: string | null;
  createdAt: string;
}

/** Everything the snapshot is built from, read in one round. */
export interface ControlPlaneData {
  providers: ProviderRecord[];
  credentials: CredentialRecord[];
  routes: RouteRecord[];
  routeMembers: RouteMemberRecord[];
  aliases: AliasRecord[];
  users: UserRecord[];
  userKeys: UserKeyRecord[];
}
