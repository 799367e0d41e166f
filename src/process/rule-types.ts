/**
 * What the rule compiler takes in: the validated rule sets of the control plane (RuleSetRecord in
 * control-plane/model.ts). The process layer may not import the control plane (decision 0002), so
 * the shape is restated here; the pipeline passes records in, and the compiler checks the two stay
 * structurally the same there.
 */

export interface RuleConditionInput {
  readonly models?: readonly string[];
  readonly operations?: readonly string[];
  readonly wires?: readonly string[];
  readonly stream?: boolean;
}

export type RuleInput = { readonly when?: RuleConditionInput } & (
  | { readonly action: 'set_header' | 'default_header'; readonly header: string; readonly value: string }
  | { readonly action: 'remove_header'; readonly header: string }
  | { readonly action: 'set_field' | 'default_field'; readonly path: string; readonly value: unknown }
  | { readonly action: 'remove_field'; readonly path: string }
  | { readonly action: 'set_response_header'; readonly header: string; readonly value: string }
  | { readonly action: 'remove_response_header'; readonly header: string }
);

export interface RuleSetInput {
  readonly name: string;
  readonly rules: readonly RuleInput[];
}

/** The facts of one upstream request that `when` conditions test. */
export interface RuleFacts {
  /** The upstream model id. */
  model: string;
  operation: string;
  /** The upstream wire kind (after any conversion). */
  wire: string;
  /** Whether the upstream request streams. */
  stream: boolean;
}

/** `set` replaces, `default` sets only what is absent, `remove` deletes. */
export type EditKind = 'set' | 'default' | 'remove';

export interface HeaderEdit {
  readonly kind: EditKind;
  /** Lower-case. */
  readonly name: string;
  readonly value: string;
}

export interface BodyEdit {
  readonly kind: EditKind;
  /** The JSON Pointer's reference tokens, unescaped. */
  readonly tokens: readonly string[];
  readonly value: unknown;
}

/** The rules that apply to one upstream request, by where they act, in application order. */
export interface SelectedRules {
  /** Names of the rule sets with at least one rule here, in order. */
  readonly ruleSets: readonly string[];
  readonly requestHeaders: readonly HeaderEdit[];
  readonly body: readonly BodyEdit[];
  readonly responseHeaders: readonly HeaderEdit[];
}
