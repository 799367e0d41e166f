/**
 * Rule-set records <-> `rule_sets` rows (migration 0012), and their read inside a load
 * transaction. Stored rules are checked against the bundle schema on the way back, so the snapshot
 * never compiles a rule that import would have refused.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { RuleSetRecord } from '../../control-plane/model';
import { ruleSchema } from '../../control-plane/rule-sets/rule-set-entry';
import type { Database, RuleSetsTable } from './schema';

const storedRules = z.array(ruleSchema);

export const ruleSetToRow = (set: RuleSetRecord): RuleSetsTable => ({
  id: set.id,
  name: set.name,
  description: set.description,
  rules: JSON.stringify(set.rules),
});

export function ruleSetFromRow(row: RuleSetsTable): RuleSetRecord {
  let json: unknown;
  try {
    json = JSON.parse(row.rules);
  } catch {
    json = undefined;
  }
  const rules = storedRules.safeParse(json);
  if (!rules.success) throw new Error(`Stored rule set ${row.id} is not valid`);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    rules: rules.data,
  };
}

export async function readRuleSets(trx: Transaction<Database>): Promise<RuleSetRecord[]> {
  return (await trx.selectFrom('rule_sets').selectAll().orderBy('name').execute()).map(ruleSetFromRow);
}
