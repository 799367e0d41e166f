/**
 * Rule-set compilation: the rule sets a provider attaches become one flat list of edits with their
 * conditions compiled (model globs as regexes), once per snapshot. Per attempt, `selectRules`
 * keeps the edits whose conditions hold; when no rule has a condition that is a precomputed
 * constant, so a provider with rules pays one call and no allocation.
 */
import { parseJsonPointer } from '../core/json-pointer';
import { compileModelGlob } from './model-glob';
import type {
  BodyEdit,
  EditKind,
  HeaderEdit,
  RuleConditionInput,
  RuleFacts,
  RuleInput,
  RuleSetInput,
  SelectedRules,
} from './rule-types';

type Target = 'requestHeaders' | 'body' | 'responseHeaders';
type Condition = (facts: RuleFacts) => boolean;

interface CompiledRule {
  ruleSet: string;
  /** Null: always applies. */
  condition: Condition | null;
  target: Target;
  edit: HeaderEdit | BodyEdit;
}

export interface CompiledRules {
  readonly rules: readonly CompiledRule[];
  /** Set when no rule has a condition: what every request gets. */
  readonly always: SelectedRules | null;
}

const NO_RULES: SelectedRules = Object.freeze({
  ruleSets: [],
  requestHeaders: [],
  body: [],
  responseHeaders: [],
});

function compileCondition(when: RuleConditionInput | undefined): Condition | null {
  if (when === undefined) return null;
  const checks: Condition[] = [];
  if (when.models !== undefined) {
    const globs = when.models.map(compileModelGlob);
    checks.push((facts) => globs.some((glob) => glob.test(facts.model)));
  }
  const { operations, wires, stream } = when;
  if (operations !== undefined) checks.push((facts) => operations.includes(facts.operation));
  if (wires !== undefined) checks.push((facts) => wires.includes(facts.wire));
  if (stream !== undefined) checks.push((facts) => facts.stream === stream);
  if (checks.length === 0) return null;
  return (facts) => checks.every((check) => check(facts));
}

function kindOf(action: RuleInput['action']): EditKind {
  if (action.startsWith('set_')) return 'set';
  return action.startsWith('default_') ? 'default' : 'remove';
}

function compileRule(ruleSet: string, rule: RuleInput): CompiledRule {
  const condition = compileCondition(rule.when);
  const kind = kindOf(rule.action);
  switch (rule.action) {
    case 'set_header':
    case 'default_header':
    case 'remove_header':
    case 'set_response_header':
    case 'remove_response_header': {
      const target = rule.action.endsWith('_response_header') ? 'responseHeaders' : 'requestHeaders';
      const value = 'value' in rule ? rule.value : '';
      return { ruleSet, condition, target, edit: { kind, name: rule.header.toLowerCase(), value } };
    }
    case 'set_field':
    case 'default_field':
    case 'remove_field': {
      const parsed = parseJsonPointer(rule.path);
      // Validated on the way in (control-plane rule-set-entry.ts); a bad pointer here is a bug.
      if (!parsed.ok || parsed.tokens.length === 0)
        throw new Error(`Rule set "${ruleSet}": invalid JSON Pointer "${rule.path}"`);
      const value = 'value' in rule ? rule.value : undefined;
      return { ruleSet, condition, target: 'body', edit: { kind, tokens: parsed.tokens, value } };
    }
  }
}

function collect(rules: readonly CompiledRule[], facts: RuleFacts | null): SelectedRules {
  const ruleSets: string[] = [];
  const selected: Record<Target, (HeaderEdit | BodyEdit)[]> = {
    requestHeaders: [],
    body: [],
    responseHeaders: [],
  };
  for (const rule of rules) {
    if (facts !== null && rule.condition !== null && !rule.condition(facts)) continue;
    selected[rule.target].push(rule.edit);
    if (ruleSets[ruleSets.length - 1] !== rule.ruleSet) ruleSets.push(rule.ruleSet);
  }
  if (ruleSets.length === 0) return NO_RULES;
  return {
    ruleSets,
    requestHeaders: selected.requestHeaders as HeaderEdit[],
    body: selected.body as BodyEdit[],
    responseHeaders: selected.responseHeaders as HeaderEdit[],
  };
}

export function compileRuleSets(sets: readonly RuleSetInput[]): CompiledRules {
  const rules = sets.flatMap((set) => set.rules.map((rule) => compileRule(set.name, rule)));
  const always = rules.every((rule) => rule.condition === null) ? collect(rules, null) : null;
  return { rules, always };
}

/** The edits that apply to one upstream request; null when none does. */
export function selectRules(compiled: CompiledRules, facts: RuleFacts): SelectedRules | null {
  const selected = compiled.always ?? collect(compiled.rules, facts);
  return selected.ruleSets.length === 0 ? null : selected;
}

const compiledBySource = new WeakMap<readonly RuleSetInput[], CompiledRules>();

/**
 * Compiled once per source array: the snapshot holds one frozen array per provider and builds new
 * ones on every rebuild, so this compiles once per snapshot and drops entries with old snapshots.
 */
export function compiledRuleSets(sets: readonly RuleSetInput[]): CompiledRules {
  let compiled = compiledBySource.get(sets);
  if (compiled === undefined) {
    compiled = compileRuleSets(sets);
    compiledBySource.set(sets, compiled);
  }
  return compiled;
}
