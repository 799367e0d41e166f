/**
 * Vertex AI requests: Gemini (`generateContent`) for publisher google, Claude (`rawPredict`) for
 * publisher anthropic; an OAuth bearer token either way.
 */
import { GatewayError } from '../../core/errors';
import { normalizeGeminiModel } from '../../protocol/wires/gemini/generate-content/request';
import type { PrepareInput, UpstreamRequest } from '../contract';
import { endpointOverride, geminiStreamingEndpoint } from '../endpoints';
import { pickClientHeaders } from '../headers';
import { unsupportedOperation } from '../routing';
import { optionalStringSetting } from '../settings';
import { vertexAuth, type VertexAuth } from './auth';
import { toVertexClaudeBody } from './claude-body';
import { claudeStreamingEndpoint, requirePublisher, vertexModelUrl, type VertexPublisher } from './endpoint';

/** Betas select Claude behaviour the client was written against; the version is in the body on Vertex. */
const CLAUDE_FORWARDED_HEADERS = ['anthropic-beta'] as const;

const WIRE_OF: Record<VertexPublisher, 'gemini' | 'claude'> = { google: 'gemini', anthropic: 'claude' };

function projectOf(input: PrepareInput, auth: VertexAuth): string {
  const project = optionalStringSetting(input.provider, 'project') ?? auth.projectId;
  if (project === undefined) {
    throw new GatewayError(
      'invalid_request',
      `Provider "${input.provider.name}": setting "project" is required unless the credential is a service account with a project_id`,
    );
  }
  return project;
}

function geminiUrl(input: PrepareInput, auth: VertexAuth): string {
  const { provider } = input;
  const model = normalizeGeminiModel(input.upstreamModel);
  const override = endpointOverride(provider, input.operation, model);
  if (override !== undefined) return geminiStreamingEndpoint(override, input.stream, input.streamFormat);
  const project = projectOf(input, auth);
  if (!input.stream)
    return vertexModelUrl({ provider, project, publisher: 'google', model, method: 'generateContent' });
  // Without alt=sse Vertex streams one JSON array instead of SSE events, as AI Studio does.
  const query = input.streamFormat === 'sse' ? 'alt=sse' : undefined;
  return vertexModelUrl({
    provider,
    project,
    publisher: 'google',
    model,
    method: 'streamGenerateContent',
    query,
  });
}

function claudeUrl(input: PrepareInput, auth: VertexAuth): string {
  const { provider } = input;
  const override = endpointOverride(provider, input.operation, input.upstreamModel);
  if (override !== undefined) return claudeStreamingEndpoint(override, input.stream);
  const method = input.stream ? 'streamRawPredict' : 'rawPredict';
  return vertexModelUrl({
    provider,
    project: projectOf(input, auth),
    publisher: 'anthropic',
    model: input.upstreamModel,
    method,
  });
}

export async function prepareVertex(input: PrepareInput): Promise<UpstreamRequest> {
  const { provider, operation } = input;
  const publisher = requirePublisher(provider);
  if (operation.operation !== 'generate-content' || operation.wire !== WIRE_OF[publisher]) {
    throw unsupportedOperation('vertex', operation);
  }
  // Everything that can be checked locally is, before the token exchange goes out.
  const auth = vertexAuth(input);
  const isGoogle = publisher === 'google';
  const url = isGoogle ? geminiUrl(input, auth) : claudeUrl(input, auth);
  const body = isGoogle ? input.body : toVertexClaudeBody(input.body);
  const forwarded = isGoogle ? {} : pickClientHeaders(input.clientHeaders, CLAUDE_FORWARDED_HEADERS);

  const token = await auth.token();
  const headers = { ...forwarded, 'content-type': 'application/json', authorization: `Bearer ${token}` };
  return { method: 'POST', url, headers, body };
}
