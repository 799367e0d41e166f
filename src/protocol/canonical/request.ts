/** The canonical generate-content request. */
import type { ContentPart, TextPart } from './parts';

export type Role = 'user' | 'assistant';

/**
 * One conversation turn. Tool results travel in user turns (Claude's and Gemini's shape); wires
 * with a separate tool role (OpenAI Chat `tool`, Responses `function_call_output`) map onto it.
 */
export interface CanonicalMessage {
  role: Role;
  parts: ContentPart[];
}

export interface CanonicalTool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object, as the client gave it. */
  parameters: Record<string, unknown>;
  strict?: boolean;
}

export type ToolChoice =
  { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string };

export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

export interface ReasoningConfig {
  /** False when the client explicitly turned reasoning off. */
  enabled: boolean;
  effort?: ReasoningEffort;
  /** Token budget (Claude `budget_tokens`, Gemini `thinkingBudget`). */
  budgetTokens?: number;
  /** Whether the client wants reasoning text back (Gemini `includeThoughts`, Responses summaries). */
  includeThoughts?: boolean;
}

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json-object' }
  | {
      type: 'json-schema';
      name?: string;
      schema: Record<string, unknown>;
      strict?: boolean;
      description?: string;
    };

export interface CanonicalRequest {
  /** The model name as the client sent it (the pipeline substitutes the upstream id). */
  model: string;
  /** System / developer instructions, in order. */
  system: TextPart[];
  messages: CanonicalMessage[];
  tools: CanonicalTool[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  reasoning?: ReasoningConfig;
  responseFormat?: ResponseFormat;
  /** End-user id for abuse tracking (OpenAI `user`, Claude `metadata.user_id`). */
  user?: string;
  metadata?: Record<string, string>;
  stream: boolean;
  /** OpenAI Chat `stream_options.include_usage`. */
  streamIncludeUsage?: boolean;
}
