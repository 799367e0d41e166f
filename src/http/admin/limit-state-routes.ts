/**
 * Quota and rate-limit state on the admin API (docs/admin-api.md, docs/tenancy.md "Reading quota
 * and rate-limit state"): one quota's or rate limit's windows, or everything on a user's chain.
 * Records come from the control plane (by name, as the records endpoints address them); balances
 * from the cache backend, in one read each.
 */
import type { ControlPlaneEditor } from '../../control-plane/admin/control-plane-editor';
import { notFound } from '../../control-plane/admin/apply-entries';
import type { ControlPlaneData, QuotaRecord, RateLimitRecord } from '../../control-plane/model';
import { limitChain } from '../../control-plane/quotas/limit-chain';
import { compileQuota } from '../../control-plane/quotas/quota-book';
import { compileRateLimit } from '../../control-plane/rate-limits/rate-limit-book';
import { subjectNames } from '../../control-plane/rate-limits/plan-rate-limits';
import type { LimitStateReader } from '../../pipeline/quotas/limit-state-reader';
import type { AdminRoute } from './admin-route-kit';

/** The subject's names in bundle shape (`user`, `key`, `org`, `team`) next to each state. */
function named<T extends { name: string }>(
  data: ControlPlaneData,
  records: readonly (QuotaRecord | RateLimitRecord)[],
  states: readonly T[],
): (T & Record<string, unknown>)[] {
  return states.map((state, i) => {
    const record = records[i];
    return { ...state, ...(record === undefined ? {} : subjectNames(data, record)) };
  });
}

function findByName<T extends { name: string }>(list: readonly T[], what: string, name: string): T {
  const found = list.find((record) => record.name === name);
  if (found === undefined) throw notFound(what, name);
  return found;
}

export function limitStateRoutes(reader: LimitStateReader, editor: ControlPlaneEditor): AdminRoute[] {
  return [
    {
      method: 'get',
      path: '/admin/quotas/:name/state',
      tag: 'Quotas',
      summary: "A quota's windows now: limit, spent (in flight + settled), remaining, reset time",
      handler: async ({ params }) => {
        const data = await editor.read();
        const record = findByName(data.quotas, 'quota', params['name'] ?? '');
        const state = await reader.read([compileQuota(record)], []);
        return named(data, [record], state.quotas)[0];
      },
    },
    {
      method: 'get',
      path: '/admin/rate_limits/:name/state',
      tag: 'Rate limits',
      summary: "A rate limit's current windows and concurrency: limit, used, remaining, reset time",
      handler: async ({ params }) => {
        const data = await editor.read();
        const record = findByName(data.rateLimits, 'rate limit', params['name'] ?? '');
        const state = await reader.read([], [compileRateLimit(record)]);
        return named(data, [record], state.rate_limits)[0];
      },
    },
    {
      method: 'get',
      path: '/admin/users/:name/limits',
      tag: 'Users',
      summary: "Every quota and rate limit on a user's chain (its keys, user, team, org), with state",
      query: { key: "a key label: that key's chain only (default: every key of the user)" },
      handler: async ({ params, query }) => {
        const data = await editor.read();
        const user = findByName(data.users, 'user', params['name'] ?? '');
        let keys = data.userKeys.filter((key) => key.userId === user.id);
        const label = query.get('key') || null;
        if (label !== null) {
          keys = keys.filter((key) => key.label === label);
          if (keys.length === 0) throw notFound(`key of user "${user.name}"`, label);
        }
        const chain = limitChain(
          data,
          user,
          keys.map((key) => key.id),
        );
        const state = await reader.read(
          chain.quotas.map(compileQuota),
          chain.rateLimits.map(compileRateLimit),
        );
        return {
          user: user.name,
          key: label,
          quotas: named(data, chain.quotas, state.quotas),
          rate_limits: named(data, chain.rateLimits, state.rate_limits),
        };
      },
    },
  ];
}
