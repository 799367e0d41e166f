/**
 * Permissions on the request path: after the name resolved, may this key use it, and through which
 * members? The rule (docs/tenancy.md):
 *
 * - Admins, and keys whose chain grants `*`, may use everything.
 * - On the global endpoints a grant that matches the name the client sent, or the route that name
 *   resolved to, allows the whole route (or the direct `provider/model`).
 * - On a scoped endpoint (`/{provider}/v1/...`) only `provider/model` names count: the client's
 *   name under that provider, or the upstream id its aliases give.
 * - Otherwise each member is allowed on its own when a grant matches its `provider/model` (the
 *   upstream id); the others are left out of the plan. No member left: 403 permission_denied.
 *
 * Names that do not resolve were already answered 404 by resolve.ts, so a caller learns that a
 * name exists (403) only when it names something real, never what it routes to.
 */
import { GatewayError } from '../core/errors';
import type { Access } from '../control-plane/permissions';
import type { Resolution, ResolvedMember } from './resolve';

export type MemberFilter = (member: ResolvedMember) => boolean;

const everyMember: MemberFilter = () => true;

/** Whether `access` reaches the resolved name as a whole (no per-member check needed). */
export function allowsWhole(
  access: Access,
  requested: string,
  scopeProvider: string | undefined,
  routeName: string | null,
): boolean {
  if (access.all) return true;
  if (scopeProvider !== undefined) return access.allows(`${scopeProvider}/${requested}`);
  return access.allows(requested) || (routeName !== null && access.allows(routeName));
}

/** The members this key may use; throws 403 when that is none of them. */
export function authorize(
  access: Access,
  requested: string,
  scopeProvider: string | undefined,
  resolution: Resolution,
): MemberFilter {
  if (allowsWhole(access, requested, scopeProvider, resolution.routeName)) return everyMember;
  const allowed: MemberFilter = (m) => access.allows(`${m.provider.name}/${m.upstreamModel}`);
  if (resolution.members.some(allowed)) return allowed;
  throw new GatewayError('permission_denied', `You do not have permission to use the model '${requested}'.`, {
    param: 'model',
  });
}
