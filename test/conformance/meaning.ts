/**
 * What must survive a conversion, projected out of canonical values so two of them compare even
 * when ids, part boundaries or wire-specific extras differ.
 */
import type { ContentPart } from '../../src/protocol/canonical/parts';
import { effortForBudget } from '../../src/protocol/canonical/reasoning-budget';
import type { CanonicalRequest } from '../../src/protocol/canonical/request';
import type { CanonicalResponse } from '../../src/protocol/canonical/response';

function parseArgs(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return text;
  }
}

function partMeaning(part: ContentPart): unknown {
  switch (part.type) {
    case 'text':
      return part.text === '' ? null : { text: part.text };
    case 'image':
      return {
        image:
          part.source.kind === 'url' ? part.source.url : `${part.source.kind}:${part.source.mediaType ?? ''}`,
      };
    case 'document':
      return { document: part.source.kind };
    case 'reasoning':
      return null; // compared separately: not every wire shows reasoning text
    case 'tool-call':
      return { call: part.name, args: parseArgs(part.arguments) };
    case 'tool-result':
      return {
        result: part.content.map((c) => (c.type === 'text' ? c.text : c.type)).join(''),
        error: part.isError === true,
      };
  }
}

/** Adjacent text parts join: wires differ in where they split text. */
function partsMeaning(parts: readonly ContentPart[]): unknown[] {
  const out: unknown[] = [];
  for (const part of parts) {
    const meaning = partMeaning(part);
    if (meaning === null) continue;
    const last = out.at(-1) as { text?: string } | undefined;
    const text = (meaning as { text?: string }).text;
    if (text !== undefined && last?.text !== undefined) last.text += text;
    else out.push(meaning);
  }
  return out;
}

export interface RequestMeaning {
  system: string;
  turns: { role: string; parts: unknown[] }[];
  tools: { name: string; description?: string; required: unknown }[];
  toolChoice: unknown;
  maxOutputTokens: unknown;
  temperature: unknown;
  topP: unknown;
  stop: unknown;
  responseFormat: unknown;
  reasoning: unknown;
}

export function requestMeaning(request: CanonicalRequest): RequestMeaning {
  return {
    system: request.system.map((p) => p.text).join('\n'),
    turns: request.messages
      .map((m) => ({ role: m.role, parts: partsMeaning(m.parts) }))
      .filter((t) => t.parts.length > 0),
    tools: request.tools.map((t) => ({
      name: t.name,
      description: t.description,
      required: t.parameters['required'],
    })),
    toolChoice: request.toolChoice?.type === 'auto' ? undefined : request.toolChoice,
    maxOutputTokens: request.maxOutputTokens,
    temperature: request.temperature,
    topP: request.topP,
    stop: request.stop,
    responseFormat:
      request.responseFormat?.type === 'json-schema'
        ? {
            type: 'json-schema',
            properties: Object.keys((request.responseFormat.schema['properties'] as object) ?? {}),
          }
        : request.responseFormat?.type === 'text'
          ? undefined
          : request.responseFormat,
    reasoning:
      request.reasoning?.enabled === true
        ? {
            enabled: true,
            effort:
              request.reasoning.effort ??
              (request.reasoning.budgetTokens === undefined
                ? undefined
                : effortForBudget(request.reasoning.budgetTokens)),
          }
        : undefined,
  };
}

export interface ResponseMeaning {
  parts: unknown[];
  reasoning: string;
  finishReason: string;
  usage: unknown;
}

export function responseMeaning(response: CanonicalResponse): ResponseMeaning {
  return {
    parts: partsMeaning(response.parts),
    reasoning: response.parts
      .filter((p) => p.type === 'reasoning')
      .map((p) => p.text)
      .join(''),
    finishReason: response.finishReason,
    usage: response.usage,
  };
}
