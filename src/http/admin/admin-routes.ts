/**
 * The admin API: every endpoint declared once (admin-route-kit.ts), mounted on the app and
 * described at /admin/openapi.json. Records CRUD is in record-routes.ts; here are the operations
 * that are not plain records: channels, health, provider test and model pull, bundles.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { ChannelRegistry } from '../../channel/registry';
import type { Clock } from '../../core/clock';
import { GatewayError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { ChildService } from '../../control-plane/admin/child-service';
import type { ControlPlaneEditor } from '../../control-plane/admin/control-plane-editor';
import type { RecordService } from '../../control-plane/admin/record-service';
import { parseBody } from '../../control-plane/admin/apply-entries';
import { BUNDLE_VERSION, bundleSchema, prepareBundle } from '../../control-plane/bundle';
import {
  instanceSettingsPatchSchema,
  instanceSettingsSchema,
  readInstanceSettings,
} from '../../control-plane/instance-settings';
import { exportBundle } from '../../control-plane/import-export';
import { planImport } from '../../control-plane/import-plan';
import type { KeyIdentity } from '../../control-plane/snapshot';
import type { HealthAdmin } from '../../pipeline/health-admin';
import type { ProbeResult } from '../../pipeline/provider-probe';
import type { AuditRecord } from '../../control-plane/audit-record';
import type { AdminAuth } from './admin-auth';
import { logRoutes, type LogReader } from './log-routes';
import { limitStateRoutes } from './limit-state-routes';
import type { LimitStateReader } from '../../pipeline/quotas/limit-state-reader';
import { sessionRoutes } from './session-routes';
import { booleanQuery, mountAdminRoutes, objectBody, optionalString } from './admin-route-kit';
import type { AdminRoute } from './admin-route-kit';
import { openApiDocument } from './openapi';
import { childRoutes, recordRoutes } from './record-routes';

export interface AdminDeps {
  /** API keys, and console sessions when enabled. */
  auth: AdminAuth;
  /** Writes one audit record per mutation; absent = no audit trail. */
  audit?: (record: AuditRecord) => Promise<void>;
  /** Audit and usage reads; absent = those endpoints are not served. */
  logs?: LogReader;
  /** Quota and rate-limit state reads; absent = those endpoints are not served. */
  limitState?: LimitStateReader;
  channels: ChannelRegistry;
  health: HealthAdmin;
  probe: (
    identity: KeyIdentity,
    provider: string,
    model: string,
    signal: AbortSignal,
  ) => Promise<ProbeResult>;
  pullModels: (provider: string, signal: AbortSignal) => Promise<string[]>;
  editor: ControlPlaneEditor;
  records: RecordService;
  children: ChildService;
  clock: Clock;
  logger: Logger;
  /** Shown in the OpenAPI document. */
  version?: string;
}

const healthResetSchema = z.strictObject({
  provider: z.string().min(1).optional(),
  credential: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
});

const probeSchema = z.strictObject({ model: z.string().min(1) });

export function adminRouteList(deps: AdminDeps): AdminRoute[] {
  const operations: AdminRoute[] = [
    {
      method: 'get',
      path: '/admin/channels',
      tag: 'Channels',
      summary: "Every channel's descriptor (the console renders provider forms from it)",
      handler: () => Promise.resolve({ data: deps.channels.list().map((channel) => channel.descriptor) }),
    },
    {
      method: 'get',
      path: '/admin/health',
      tag: 'Health',
      summary: 'Credential health per credential and upstream model',
      handler: () => Promise.resolve({ data: deps.health.list(deps.clock.now()) }),
    },
    {
      method: 'post',
      path: '/admin/health/reset',
      tag: 'Health',
      summary: 'Clear matching health entries (all when the body is empty)',
      body: healthResetSchema,
      handler: (call) => {
        const body = objectBody(call.body);
        const filter = {
          provider: optionalString(body, 'provider'),
          credential: optionalString(body, 'credential'),
          model: optionalString(body, 'model'),
        };
        return Promise.resolve({ reset: deps.health.reset(filter) });
      },
    },
    {
      method: 'post',
      path: '/admin/providers/:name/test',
      tag: 'Providers',
      summary: 'Test connection: one small real request through the provider',
      body: probeSchema,
      handler: (call) => {
        const model = optionalString(objectBody(call.body), 'model');
        if (model === undefined)
          throw new GatewayError('invalid_request', 'model: required (the upstream model id to try)', {
            param: 'model',
          });
        return deps.probe(call.identity, call.params['name'] ?? '', model, call.request.signal);
      },
    },
    {
      method: 'get',
      path: '/admin/providers/:name/upstream-models',
      tag: 'Providers',
      summary: "The provider's live upstream model list (not saved)",
      handler: async (call) => ({
        data: await deps.pullModels(call.params['name'] ?? '', call.request.signal),
      }),
    },
    {
      method: 'post',
      path: '/admin/providers/:name/models/pull',
      tag: 'Providers',
      summary: "Pull the live upstream model list and merge new ids into the provider's model list",
      handler: async (call) => {
        const name = call.params['name'] ?? '';
        await deps.records.get('providers', { name });
        const ids = await deps.pullModels(name, call.request.signal);
        return deps.children.mergePulledModels(name, ids);
      },
    },
    {
      method: 'get',
      path: '/admin/settings',
      tag: 'Settings',
      summary: 'Instance settings, with defaults applied',
      handler: async () => readInstanceSettings((await deps.editor.read()).instanceSettings),
    },
    {
      method: 'patch',
      path: '/admin/settings',
      tag: 'Settings',
      summary: 'Change the instance settings present in the body',
      body: instanceSettingsPatchSchema,
      handler: (call) => writeSettings(deps, parseBody(instanceSettingsPatchSchema, call.body)),
    },
    {
      method: 'put',
      path: '/admin/settings',
      tag: 'Settings',
      summary: 'Replace the instance settings (keys left out return to their defaults)',
      body: instanceSettingsSchema,
      handler: (call) => writeSettings(deps, parseBody(instanceSettingsSchema, call.body)),
    },
    {
      method: 'get',
      path: '/admin/bundle',
      tag: 'Bundle',
      summary: 'Export the control plane as a bundle',
      query: { include_secrets: 'true to include credential secrets (plaintext)' },
      handler: async (call) =>
        exportBundle(await deps.editor.read(), {
          includeSecrets: booleanQuery(call.query, 'include_secrets'),
        }),
    },
    {
      method: 'post',
      path: '/admin/bundle',
      tag: 'Bundle',
      summary: 'Import a bundle (validated whole, applied in one transaction)',
      query: { dry_run: 'true to answer the change list without saving' },
      body: bundleSchema,
      handler: async (call) => {
        const dryRun = booleanQuery(call.query, 'dry_run');
        const bundle = await prepareBundle(call.body);
        return deps.editor.edit((data) => {
          const { next, changes } = planImport(data, bundle, { now: new Date(deps.clock.now()) });
          const save = !dryRun && changes.length > 0;
          return { next: save ? next : undefined, result: { changes, saved: save } };
        });
      },
    },
  ];
  const all = [
    ...sessionRoutes(deps.auth.sessions),
    ...operations,
    ...recordRoutes(deps.records),
    ...childRoutes(deps.children),
    ...(deps.logs === undefined ? [] : logRoutes(deps.logs, deps.editor)),
    ...(deps.limitState === undefined ? [] : limitStateRoutes(deps.limitState, deps.editor)),
  ];
  const document = openApiDocument(all, deps.version ?? '0');
  return [
    {
      method: 'get',
      path: '/admin/openapi.json',
      tag: 'Meta',
      summary: 'This document',
      open: true,
      handler: () => Promise.resolve(document),
    },
    ...all,
  ];
}

async function writeSettings(deps: AdminDeps, settings: Record<string, unknown>): Promise<unknown> {
  const bundle = await prepareBundle({ version: BUNDLE_VERSION, settings });
  return deps.editor.edit((data) => {
    const { next, changes } = planImport(data, bundle, { now: new Date(deps.clock.now()) });
    return {
      next: changes.length > 0 ? next : undefined,
      result: readInstanceSettings(next.instanceSettings),
    };
  });
}

export function registerAdminRoutes(app: Hono, deps: AdminDeps): void {
  mountAdminRoutes(app, adminRouteList(deps), {
    auth: deps.auth,
    clock: deps.clock,
    logger: deps.logger,
    audit: deps.audit,
  });
}
