/**
 * Paginated, filterable reads of the audit trail and the usage ledger, newest first. A page
 * answers `{ data, next }`; pass `next` as `?before=` for the following (older) page.
 */
import { GatewayError } from '../../core/errors';
import type { AuditQuery, AuditRecord, Page, UsageQuery } from '../../control-plane/audit-record';
import type { ControlPlaneEditor } from '../../control-plane/admin/control-plane-editor';
import type { UsageRecord } from '../../control-plane/usage-record';
import type { AdminRoute } from './admin-route-kit';

export interface LogReader {
  queryAudit(query: AuditQuery): Promise<Page<AuditRecord>>;
  queryUsage(query: UsageQuery): Promise<Page<UsageRecord>>;
}

const MAX_LIMIT = 1000;

function limitOf(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return 100;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT)
    throw new GatewayError('invalid_request', `limit: must be an integer from 1 to ${MAX_LIMIT}`, {
      param: 'limit',
    });
  return value;
}

function timeOf(query: URLSearchParams, name: string): string | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const time = Date.parse(raw);
  if (Number.isNaN(time))
    throw new GatewayError('invalid_request', `${name}: must be an ISO-8601 date-time`, { param: name });
  return new Date(time).toISOString();
}

const text = (query: URLSearchParams, name: string): string | undefined => query.get(name) || undefined;

const PAGE_QUERY = {
  since: 'ISO-8601 time: records at or after it',
  until: 'ISO-8601 time: records before it',
  limit: `page size, 1 to ${MAX_LIMIT} (100)`,
  before: 'the `next` cursor of the previous page',
};

export function logRoutes(logs: LogReader, editor: ControlPlaneEditor): AdminRoute[] {
  return [
    {
      method: 'get',
      path: '/admin/audit',
      tag: 'Logs',
      summary: 'The audit trail of admin mutations and console sign-ins',
      query: { actor: 'user name', action: 'e.g. `PATCH /admin/providers/:name`', ...PAGE_QUERY },
      handler: ({ query }) =>
        logs.queryAudit({
          actor: text(query, 'actor'),
          action: text(query, 'action'),
          since: timeOf(query, 'since'),
          until: timeOf(query, 'until'),
          limit: limitOf(query),
          before: text(query, 'before'),
        }),
    },
    {
      method: 'get',
      path: '/admin/usage',
      tag: 'Logs',
      summary: 'Usage records (one per request)',
      query: {
        user: 'user name',
        provider: 'provider name',
        route: 'route name',
        model: 'upstream model id',
        end_state: 'complete, client-aborted, upstream-error, timeout or rejected',
        ...PAGE_QUERY,
      },
      handler: async ({ query }) => {
        const userName = text(query, 'user');
        let userId: string | undefined;
        if (userName !== undefined) {
          const user = (await editor.read()).users.find((u) => u.name === userName);
          if (user === undefined) return { data: [], next: null };
          userId = user.id;
        }
        return logs.queryUsage({
          userId,
          providerName: text(query, 'provider'),
          routeName: text(query, 'route'),
          upstreamModel: text(query, 'model'),
          endState: text(query, 'end_state'),
          since: timeOf(query, 'since'),
          until: timeOf(query, 'until'),
          limit: limitOf(query),
          before: text(query, 'before'),
        });
      },
    },
  ];
}
