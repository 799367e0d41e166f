/**
 * Name resolution: alias -> route | provider/model. Unknown names fail with 404 without listing
 * anything the caller may not see.
 */
import { GatewayError } from '../core/errors';
import type { ProviderView, Snapshot } from '../control-plane/snapshot';

/** How many alias hops are followed before giving up (guards against alias cycles). */
const MAX_ALIAS_HOPS = 4;

export interface ResolvedMember {
  provider: ProviderView;
  upstreamModel: string;
}

export interface Resolution {
  /** The route name, or null for direct `provider/model` addressing. */
  routeName: string | null;
  members: readonly ResolvedMember[];
}

export function resolveModel(snapshot: Snapshot, requested: string): Resolution {
  let name = requested;
  for (let hop = 0; hop < MAX_ALIAS_HOPS; hop++) {
    const target = snapshot.aliases.get(name);
    if (target === undefined) break;
    name = target;
  }

  const route = snapshot.routesByName.get(name);
  if (route !== undefined) {
    return {
      routeName: route.name,
      members: route.members.map((m) => ({ provider: m.provider, upstreamModel: m.member.model })),
    };
  }

  const slash = name.indexOf('/');
  if (slash > 0 && slash < name.length - 1) {
    const provider = snapshot.providersByName.get(name.slice(0, slash));
    if (provider !== undefined) {
      return { routeName: null, members: [{ provider, upstreamModel: name.slice(slash + 1) }] };
    }
  }

  throw new GatewayError(
    'model_not_found',
    `The model '${requested}' does not exist or you do not have access to it.`,
    {
      param: 'model',
    },
  );
}
