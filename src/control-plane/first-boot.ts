/**
 * First boot: an empty installation gets one admin user so the operator can log in. The key is
 * returned once for the caller to print; only its digest is stored.
 */
import { keyHint, sha256Hex } from '../core/digest';
import { generateUserKey, newId } from '../core/ids';
import type { ControlPlaneStore } from './ports';

export const FIRST_BOOT_USER = 'admin';
export const FIRST_BOOT_KEY_LABEL = 'first-boot';

export interface EnsureAdminOptions {
  /** A key chosen by the operator (GPROXY_ADMIN_KEY); an empty string counts as not given. */
  adminKey?: string | undefined;
  now?: Date;
}

export interface EnsureAdminResult {
  created: boolean;
  /** The plaintext key, only when the admin was created now. */
  key?: string;
  user?: string;
}

export async function ensureAdmin(
  store: Pick<ControlPlaneStore, 'countUsers' | 'createUser'>,
  options: EnsureAdminOptions = {},
): Promise<EnsureAdminResult> {
  // Any user at all means the installation is set up; never add a second admin behind its back.
  if ((await store.countUsers()) > 0) return { created: false };
  const key =
    options.adminKey !== undefined && options.adminKey !== '' ? options.adminKey : generateUserKey();
  const createdAt = (options.now ?? new Date()).toISOString();
  const userId = newId();
  await store.createUser(
    {
      id: userId,
      name: FIRST_BOOT_USER,
      isAdmin: true,
      enabled: true,
      createdAt,
      passwordHash: null,
      orgId: null,
      teamId: null,
      permissions: [],
    },
    [
      {
        id: newId(),
        userId,
        label: FIRST_BOOT_KEY_LABEL,
        digest: await sha256Hex(key),
        hint: keyHint(key),
        enabled: true,
        expiresAt: null,
        createdAt,
        permissions: [],
        sealedKey: null,
      },
    ],
  );
  return { created: true, key, user: FIRST_BOOT_USER };
}
