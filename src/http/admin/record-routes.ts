/**
 * CRUD endpoints for every named control-plane record and its child lists, declared from one table
 * each (record-service.ts / child-service.ts do the work). Names travel in the path, URL-encoded.
 */
import type { ChildKind, ChildService } from '../../control-plane/admin/child-service';
import { CHILDREN } from '../../control-plane/admin/child-service';
import type { Section } from '../../control-plane/admin/apply-entries';
import type { RecordKey, RecordService } from '../../control-plane/admin/record-service';
import { SECTIONS } from '../../control-plane/admin/record-service';
import type { AdminCall, AdminRoute } from './admin-route-kit';

const TAGS: Record<Section, string> = {
  orgs: 'Orgs and teams',
  providers: 'Providers',
  routes: 'Routes',
  aliases: 'Aliases',
  users: 'Users',
  prices: 'Prices',
  rate_limits: 'Rate limits',
  quotas: 'Quotas',
  rule_sets: 'Rule sets',
};

function keyFrom(section: Section, call: AdminCall): RecordKey {
  const name = call.params['name'] ?? '';
  // Aliases are unique per scope: `?provider=` names a provider-scoped one.
  return section === 'aliases' ? { name, provider: call.query.get('provider') } : { name };
}

export function recordRoutes(records: RecordService): AdminRoute[] {
  const routes: AdminRoute[] = [];
  for (const section of Object.keys(SECTIONS) as Section[]) {
    const { what, schema } = SECTIONS[section];
    const base = `/admin/${section}`;
    const tag = TAGS[section];
    const scope = section === 'aliases' ? { provider: 'The provider of a provider-scoped alias' } : undefined;
    routes.push(
      {
        method: 'get',
        path: base,
        tag,
        summary: `List ${section}`,
        handler: async () => ({ data: await records.list(section) }),
      },
      {
        method: 'post',
        path: base,
        tag,
        summary: `Create a ${what}`,
        body: schema,
        status: 201,
        handler: (call) => records.create(section, call.body),
      },
      {
        method: 'get',
        path: `${base}/:name`,
        tag,
        summary: `Read one ${what}`,
        ...(scope === undefined ? {} : { query: scope }),
        handler: (call) => records.get(section, keyFrom(section, call)),
      },
      {
        method: 'put',
        path: `${base}/:name`,
        tag,
        summary: `Replace a ${what} (fields left out take their defaults)`,
        body: schema,
        ...(scope === undefined ? {} : { query: scope }),
        handler: (call) => records.replace(section, keyFrom(section, call), call.body),
      },
      {
        method: 'patch',
        path: `${base}/:name`,
        tag,
        summary: `Change some fields of a ${what} (a new name renames it)`,
        body: schema,
        ...(scope === undefined ? {} : { query: scope }),
        handler: (call) => records.update(section, keyFrom(section, call), call.body),
      },
      {
        method: 'delete',
        path: `${base}/:name`,
        tag,
        summary: `Delete a ${what} and what belongs to it`,
        status: 204,
        ...(scope === undefined ? {} : { query: scope }),
        handler: (call) =>
          records.remove(section, keyFrom(section, call), { userName: call.identity.user.name }),
      },
    );
  }
  return routes;
}

const CHILD_SUMMARY: Record<ChildKind, { list: string; create: string }> = {
  credentials: {
    list: "List a provider's credentials (secrets masked)",
    create: 'Add a credential (its secret is write-only)',
  },
  models: { list: "List a provider's model list", create: 'Add a model to the list' },
  teams: { list: "List an org's teams", create: 'Add a team to the org' },
  keys: {
    list: "List a user's API keys (hints only)",
    create: 'Create an API key; the answer holds the key itself, shown this once',
  },
};

export function childRoutes(children: ChildService): AdminRoute[] {
  const routes: AdminRoute[] = [];
  for (const kind of Object.keys(CHILDREN) as ChildKind[]) {
    const spec = CHILDREN[kind];
    const base = `/admin/${spec.section}/:name/${kind}`;
    const tag = TAGS[spec.section];
    // Model ids may hold slashes (`meta-llama/llama-3`), so the last segment takes the rest.
    const item = kind === 'models' ? `${base}/:id{.+}` : `${base}/:id`;
    const parent = (call: AdminCall): string => call.params['name'] ?? '';
    const id = (call: AdminCall): string => call.params['id'] ?? '';
    routes.push(
      {
        method: 'get',
        path: base,
        tag,
        summary: CHILD_SUMMARY[kind].list,
        handler: async (call) => ({ data: await children.list(kind, parent(call)) }),
      },
      {
        method: 'post',
        path: base,
        tag,
        summary: CHILD_SUMMARY[kind].create,
        body: spec.schema,
        status: 201,
        handler: (call) => children.create(kind, parent(call), call.body),
      },
      {
        method: 'get',
        path: item,
        tag,
        summary: `Read one ${spec.what}`,
        handler: (call) => children.get(kind, parent(call), id(call)),
      },
      {
        method: 'patch',
        path: item,
        tag,
        summary: `Change some fields of a ${spec.what}`,
        body: spec.schema,
        handler: (call) => children.update(kind, parent(call), id(call), call.body),
      },
      {
        method: 'delete',
        path: item,
        tag,
        summary: kind === 'keys' ? 'Revoke (delete) an API key' : `Delete a ${spec.what}`,
        status: 204,
        handler: (call) => children.remove(kind, parent(call), id(call)),
      },
    );
    if (kind === 'keys')
      routes.push({
        method: 'post',
        path: `${item}/reveal`,
        tag,
        summary: 'Reveal an API key from its sealed copy (needs GPROXY_MASTER_KEY; 409 otherwise)',
        handler: (call) => children.reveal(parent(call), id(call)),
      });
  }
  return routes;
}
