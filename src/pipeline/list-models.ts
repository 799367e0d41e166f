/**
 * The model names a key may see in a model listing: every name it could call, by the same
 * predicate as calls (resolve, then authorize). Globally: route names and exact global aliases;
 * on a scoped endpoint: the provider's model list and its exact aliases. Names the key may not
 * use are left out, so a listing never reveals them.
 */
import { GatewayError } from '../core/errors';
import type { Access } from '../control-plane/permissions';
import type { Snapshot } from '../control-plane/snapshot';
import { authorize } from './authorize';
import { resolveModel } from './resolve';

export function visibleModels(snapshot: Snapshot, access: Access, scopeProvider?: string): string[] {
  let names: string[];
  if (scopeProvider === undefined) {
    names = [...snapshot.routesByName.keys(), ...snapshot.globalAliases.exact.keys()];
  } else {
    const provider = snapshot.providersByName.get(scopeProvider);
    if (provider === undefined) throw new GatewayError('not_found', `No provider named '${scopeProvider}'.`);
    names = [...provider.models, ...provider.aliases.exact.keys()];
  }
  const callable = (name: string): boolean => {
    try {
      authorize(access, name, scopeProvider, resolveModel(snapshot, name, scopeProvider));
      return true;
    } catch {
      return false;
    }
  };
  return [...new Set(names)].filter(callable).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
