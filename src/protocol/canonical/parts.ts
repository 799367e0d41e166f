/**
 * Content parts of the canonical generate-content model: the one shape every wire decodes into and
 * encodes from (docs/decisions/0006). A part says what it is, never which wire it came from, except
 * for the opaque state a provider needs back on the next turn, which keeps its origin.
 */
import type { UpstreamWireKind } from '../operation';

export interface TextPart {
  type: 'text';
  text: string;
  /** Gemini `thoughtSignature` attached to this part (Gemini origin only). */
  thoughtSignature?: string;
  /** OpenAI refusal text arrives as its own part kind; kept so encoders can map it back. */
  refusal?: boolean;
}

export type MediaSource =
  | { kind: 'base64'; mediaType: string; data: string }
  | { kind: 'url'; url: string; mediaType?: string }
  /** A provider-side file id (OpenAI `file_id`, Gemini `fileUri`, Anthropic file id). */
  | { kind: 'file-id'; fileId: string; mediaType?: string };

export interface ImagePart {
  type: 'image';
  source: MediaSource;
  /** OpenAI `detail` hint. */
  detail?: 'auto' | 'low' | 'high';
}

/** A document (PDF, plain text …) given to the model as input. */
export interface DocumentPart {
  type: 'document';
  source: MediaSource;
  filename?: string;
}

/**
 * Reasoning (thinking) produced by the model. Which fields are set depends on the origin:
 * Claude: `text` + `signature`, or `redactedData` alone; OpenAI Responses: `itemId`,
 * `summary` texts in `text`, `encryptedContent`; Gemini: `text` of a `thought: true` part,
 * with `signature` = its `thoughtSignature` when it had one.
 */
export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  /** The wire whose provider produced the opaque fields below (they only make sense there). */
  origin?: UpstreamWireKind;
  /** Claude thinking signature, or Gemini thoughtSignature of a thought part. */
  signature?: string;
  /** Claude `redacted_thinking.data`. */
  redactedData?: string;
  /** OpenAI reasoning item `encrypted_content`. */
  encryptedContent?: string;
  /** OpenAI reasoning item id (rs_…). */
  itemId?: string;
}

export interface ToolCallPart {
  type: 'tool-call';
  /** Call id; wires without ids (Gemini) get a generated one so results can refer to it. */
  id: string;
  name: string;
  /** Arguments as JSON text (what OpenAI sends); other wires' objects are serialized. */
  arguments: string;
  /** Gemini `thoughtSignature` on the functionCall part. */
  thoughtSignature?: string;
}

export interface ToolResultPart {
  type: 'tool-result';
  /** The id of the tool call this answers. */
  callId: string;
  /** The tool's name when the wire carries it (Gemini requires it; others may look it up). */
  name?: string;
  /** Text and images the tool returned. */
  content: (TextPart | ImagePart | DocumentPart)[];
  isError?: boolean;
}

export type ContentPart = TextPart | ImagePart | DocumentPart | ReasoningPart | ToolCallPart | ToolResultPart;

/** Parts an assistant (model) turn may hold. */
export type OutputPart = TextPart | ReasoningPart | ToolCallPart;
