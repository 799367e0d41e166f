/**
 * The OpenAPI 3.1 document of the admin API, written from the same route declarations that are
 * mounted (admin-route-kit.ts), with request bodies from the zod schemas that validate them.
 */
import { z } from 'zod';
import type { AdminRoute } from './admin-route-kit';

type Json = Record<string, unknown>;

const ERROR_SCHEMA: Json = {
  type: 'object',
  required: ['error', 'request_id'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable error code, e.g. invalid_request, not_found, conflict' },
        message: {
          type: 'string',
          description: 'What is wrong, naming the field (e.g. `settings.base_url: …`)',
        },
        param: { type: ['string', 'null'], description: 'The field the error is about, when there is one' },
      },
    },
    request_id: { type: 'string' },
  },
};

/** `/admin/providers/:name/models/:id{.+}` -> `/admin/providers/{name}/models/{id}` */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]+)(\{[^}]*\})?/g, '{$1}');
}

function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_]+)/g)].map((match) => match[1] ?? '');
}

function bodySchema(schema: z.ZodType): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}

function operation(route: AdminRoute): Json {
  const parameters = [
    ...pathParams(route.path).map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    ...Object.entries(route.query ?? {}).map(([name, description]) => ({
      name,
      in: 'query',
      required: false,
      description,
      schema: { type: 'string' },
    })),
  ];
  const status = String(route.status ?? 200);
  const errorRef = { $ref: '#/components/responses/Error' };
  return {
    tags: [route.tag],
    summary: route.summary,
    operationId: `${route.method}${openApiPath(route.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: bodySchema(route.body) } },
          },
        }),
    ...(route.open === true ? { security: [] } : {}),
    responses: {
      [status]:
        status === '204'
          ? { description: 'Done; no content' }
          : { description: 'Success', content: { 'application/json': { schema: { type: 'object' } } } },
      '400': errorRef,
      ...(route.open === true ? {} : { '401': errorRef, '403': errorRef }),
      '404': errorRef,
      ...(route.method === 'get' ? {} : { '409': errorRef }),
    },
  };
}

export function openApiDocument(routes: readonly AdminRoute[], version: string): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...(paths[path] ?? {}), [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'gproxy admin API',
      version,
      description:
        'Manage the gateway: providers, credentials, model lists, routes, aliases, users and keys, ' +
        'health, bundles. Authenticate with an admin user API key as a Bearer token.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: ERROR_SCHEMA },
      responses: {
        Error: {
          description: 'An error with a stable code',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
    paths,
  };
}
