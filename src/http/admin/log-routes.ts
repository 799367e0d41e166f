/**
 * Paginated, filterable reads of the audit trail and the usage ledger, newest first. A page
 * answers `{ data, next }`; pass `next` as `?before=` for the following (older) page.
 */
import { GatewayError } from '../../core/errors';
import type { AuditQuery, AuditRecord, Page, UsageQuery } from '../../control-plane/audit-record';
import type { ControlPlaneEditor } from '../../control-plane/admin/control-plane-editor';
import type { RequestLogQuery, RequestLogRecord } from '../../control-plane/request-log';
import type { UsageRecord } from '../../control-plane/usage-record';
import type { UsageRollup, UsageRollupQuery } from '../../control-plane/usage-rollup';
import type { AdminRoute } from './admin-route-kit';

export interface LogReader {
  queryAudit(query: AuditQuery): Promise<Page<AuditRecord>>;
  queryUsage(query: UsageQuery): Promise<Page<UsageRecord>>;
  queryUsageRollups(query: UsageRollupQuery): Promise<Page<UsageRollup>>;
  queryRequestLogs(query: RequestLogQuery): Promise<Page<RequestLogRecord>>;
}

const MAX_LIMIT = 1000;

export function limitOf(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return 100;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT)
    throw new GatewayError('invalid_request', `limit: must be an integer from 1 to ${MAX_LIMIT}`, {
      param: 'limit',
    });
  return value;
}

export function timeOf(query: URLSearchParams, name: string): string | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const time = Date.parse(raw);
  if (Number.isNaN(time))
    throw new GatewayError('invalid_request', `${name}: must be an ISO-8601 date-time`, { param: name });
  return new Date(time).toISOString();
}

export const text = (query: URLSearchParams, name: string): string | undefined =>
  query.get(name) || undefined;

/** The time range and page every paged read takes: `since`, `until`, `limit`, `before`. */
export function pageOf(query: URLSearchParams) {
  return {
    since: timeOf(query, 'since'),
    until: timeOf(query, 'until'),
    limit: limitOf(query),
    before: text(query, 'before'),
  };
}

/** The usage filters the admin and self-service reads share: `route`, `model`, then the page. */
export function usageFiltersOf(query: URLSearchParams) {
  return { routeName: text(query, 'route'), upstreamModel: text(query, 'model'), ...pageOf(query) };
}

export const PAGE_QUERY = {
  since: 'ISO-8601 time: records at or after it',
  until: 'ISO-8601 time: records before it',
  limit: `page size, 1 to ${MAX_LIMIT} (100)`,
  before: 'the `next` cursor of the previous page',
};

/** undefined: no user filter; null: a user that does not exist (an empty page). */
async function userIdOf(
  editor: ControlPlaneEditor,
  name: string | undefined,
): Promise<string | undefined | null> {
  if (name === undefined) return undefined;
  return (await editor.read()).users.find((u) => u.name === name)?.id ?? null;
}

function statusOf(query: URLSearchParams): number | undefined {
  const raw = query.get('status');
  if (raw === null || raw === '') return undefined;
  const status = Number(raw);
  if (!Number.isInteger(status) || status < 100 || status > 599)
    throw new GatewayError('invalid_request', 'status: must be an HTTP status code', { param: 'status' });
  return status;
}

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
          ...pageOf(query),
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
        const userId = await userIdOf(editor, text(query, 'user'));
        if (userId === null) return { data: [], next: null };
        return logs.queryUsage({
          userId,
          providerName: text(query, 'provider'),
          endState: text(query, 'end_state'),
          ...usageFiltersOf(query),
        });
      },
    },
    {
      method: 'get',
      path: '/admin/usage/rollups',
      tag: 'Logs',
      summary: 'Hourly usage sums per org, team, user, key, route, provider and upstream model',
      query: {
        org: 'org name',
        team: 'team name (with org)',
        user: 'user name',
        route: 'route name',
        provider: 'provider name',
        model: 'upstream model id',
        since: 'ISO-8601 time: hours starting at or after it',
        until: 'ISO-8601 time: hours starting before it',
        limit: PAGE_QUERY.limit,
        before: PAGE_QUERY.before,
      },
      handler: async ({ query }) => {
        const data = await editor.read();
        const lookup = (name: string | undefined, list: readonly { id: string; name: string }[]) =>
          name === undefined ? undefined : (list.find((entry) => entry.name === name)?.id ?? null);
        const orgId = lookup(text(query, 'org'), data.orgs);
        const teamId = lookup(
          text(query, 'team'),
          data.teams.filter((team) => orgId === undefined || team.orgId === orgId),
        );
        const userId = lookup(text(query, 'user'), data.users);
        if (orgId === null || teamId === null || userId === null) return { data: [], next: null };
        return logs.queryUsageRollups({
          orgId,
          teamId,
          userId,
          providerName: text(query, 'provider'),
          ...usageFiltersOf(query),
        });
      },
    },
    {
      method: 'get',
      path: '/admin/request-logs',
      tag: 'Logs',
      summary:
        'Request logs: routing attempt traces and, with capture_bodies / capture_responses, redacted request and response bodies',
      query: {
        user: 'user name',
        route: 'route name',
        status: 'HTTP status answered',
        end_state: 'complete, client-aborted, upstream-error, timeout or rejected',
        ...PAGE_QUERY,
      },
      handler: async ({ query }) => {
        const userId = await userIdOf(editor, text(query, 'user'));
        if (userId === null) return { data: [], next: null };
        return logs.queryRequestLogs({
          userId,
          routeName: text(query, 'route'),
          status: statusOf(query),
          endState: text(query, 'end_state'),
          ...pageOf(query),
        });
      },
    },
  ];
}
