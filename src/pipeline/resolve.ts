/**
 * Name resolution. Each step looks the name up as an exact global alias, then as a route name, then
 * against the global regex aliases in configured order; an alias hit starts the next step (up to
 * MAX_ALIAS_HOPS). What remains is a route or `provider/model`, where the provider's own aliases
 * (exact, then regex) rename the model id. On a scoped endpoint (`/{provider}/v1/...`) only that
 * provider's aliases apply. Unknown names fail with 404 without listing anything the caller may
 * not see.
 */
import { GatewayError } from '../core/errors';
import { lookupAlias, matchPattern, type AliasTable } from '../control-plane/alias-table';
import type { RouteMemberRecord } from '../control-plane/model';
import type { ProviderView, RouteView, Snapshot } from '../control-plane/snapshot';

/** How many alias hops are followed before giving up (guards against alias cycles). */
const MAX_ALIAS_HOPS = 4;

export interface ResolvedMember {
  provider: ProviderView;
  upstreamModel: string;
  /** The route member this candidate comes from; null for `provider/model` and scoped endpoints. */
  member: RouteMemberRecord | null;
}

export interface Resolution {
  /** The route, or null for direct `provider/model` addressing and scoped endpoints. */
  route: RouteView | null;
  /** The route name, or null for direct addressing. */
  routeName: string | null;
  /** Route members in configured order (tier, then position); the strategy orders them later. */
  members: readonly ResolvedMember[];
}

function followAliases(table: AliasTable, name: string): string {
  let current = name;
  for (let hop = 0; hop < MAX_ALIAS_HOPS; hop++) {
    const target = lookupAlias(table, current);
    if (target === undefined) break;
    current = target;
  }
  return current;
}

/** Global names: an exact alias, else a route name as is, else the first matching pattern. */
function followGlobalAliases(snapshot: Snapshot, name: string): string {
  const table = snapshot.globalAliases;
  let current = name;
  for (let hop = 0; hop < MAX_ALIAS_HOPS; hop++) {
    const exact = table.exact.get(current);
    if (exact !== undefined) {
      current = exact;
      continue;
    }
    if (snapshot.routesByName.has(current)) break;
    const matched = matchPattern(table, current);
    if (matched === undefined) break;
    current = matched;
  }
  return current;
}

function direct(provider: ProviderView, model: string): Resolution {
  const upstreamModel = followAliases(provider.aliases, model);
  return { route: null, routeName: null, members: [{ provider, upstreamModel, member: null }] };
}

export function resolveModel(snapshot: Snapshot, requested: string, scopeProvider?: string): Resolution {
  if (scopeProvider !== undefined) {
    const provider = snapshot.providersByName.get(scopeProvider);
    if (provider === undefined) {
      throw new GatewayError('not_found', `No provider named '${scopeProvider}'.`);
    }
    return direct(provider, requested);
  }

  const name = followGlobalAliases(snapshot, requested);
  const route = snapshot.routesByName.get(name);
  if (route !== undefined) {
    return {
      route,
      routeName: route.name,
      members: route.members.map((m) => ({
        provider: m.provider,
        upstreamModel: m.member.model,
        member: m.member,
      })),
    };
  }

  const slash = name.indexOf('/');
  if (slash > 0 && slash < name.length - 1) {
    const provider = snapshot.providersByName.get(name.slice(0, slash));
    if (provider !== undefined) return direct(provider, name.slice(slash + 1));
  }

  throw new GatewayError(
    'model_not_found',
    `The model '${requested}' does not exist or you do not have access to it.`,
    { param: 'model' },
  );
}
