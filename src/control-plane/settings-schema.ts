/**
 * The settings gproxy itself reads (as opposed to channel-specific ones): how a provider rotates
 * its credentials, and how a credential reaches its upstream (proxy, TLS profile). Bundles are
 * validated against these schemas; unknown keys pass through for the channels to read.
 */
import { z } from 'zod';

export const ROTATIONS = ['round_robin', 'sticky'] as const;
export type Rotation = (typeof ROTATIONS)[number];
/** Defaults applied where rotation is read (pipeline/credentials/rotation.ts), not stored. */
export const DEFAULT_ROTATION: Rotation = 'round_robin';
export const DEFAULT_STICKY_TTL_SECONDS = 3600;

// As pipeline/dispatch.ts accepts them (socks5h: resolves names at the proxy).
const PROXY_PROTOCOLS = ['http:', 'https:', 'socks5:', 'socks5h:'];
const TLS_VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;

const positiveInt = z.number().int('Must be an integer').min(1, 'Must be a positive integer');

// The proxy URL may carry a password, so messages never repeat the value. Empty means unset;
// `direct` means no proxy for this level, overriding the levels below (pipeline/dispatch.ts).
const proxyUrl = z
  .string()
  .refine(
    (value) => value === '' || value === 'direct' || isProxyUrl(value),
    'Must be "direct" or an http, https, socks5 or socks5h URL with a host',
  );

/** Mirrors TlsProfile in channel/contract.ts (the control plane may not import channel code). */
const tlsProfileSchema = z.strictObject({
  ciphers: z.string().min(1).optional(),
  ecdhCurve: z.string().min(1).optional(),
  sigalgs: z.string().min(1).optional(),
  alpnProtocols: z.array(z.string().min(1)).optional(),
  minVersion: z.enum(TLS_VERSIONS, { error: 'Must be "TLSv1.2" or "TLSv1.3"' }).optional(),
  maxVersion: z.enum(TLS_VERSIONS, { error: 'Must be "TLSv1.2" or "TLSv1.3"' }).optional(),
  ca: z.string().min(1).optional(),
  rejectUnauthorized: z.boolean().optional(),
});

/**
 * How a request reaches the upstream; pipeline/dispatch.ts reads these (credential > provider >
 * instance). Null means "not set here", as it does there.
 */
const dispatchShape = {
  proxy: proxyUrl.nullable().optional(),
  tls: tlsProfileSchema.nullable().optional(),
};

/** Credential settings: `proxy` and `tls`, overriding the provider's. */
export const credentialSettingsSchema = z.looseObject(dispatchShape);

/**
 * Provider settings: `rotation`, `sticky_ttl_seconds` (sticky: per user key, rolling TTL), `proxy`,
 * `tls`, and `rule_sets` (names of the rule sets applied to its requests, in order; docs/rule-sets.md).
 */
export const providerSettingsSchema = z.looseObject({
  ...dispatchShape,
  rotation: z.enum(ROTATIONS, { error: 'Must be "round_robin" or "sticky"' }).optional(),
  sticky_ttl_seconds: positiveInt.optional(),
  rule_sets: z
    .array(z.string().min(1, 'Must not be empty'))
    .max(50, 'At most 50 rule sets')
    .refine((names) => new Set(names).size === names.length, 'Must not name a rule set twice')
    .optional(),
});

/** A per-minute budget: a positive integer, or null for unlimited. */
export const budgetSchema = positiveInt.nullable().default(null);

function isProxyUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return PROXY_PROTOCOLS.includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}
