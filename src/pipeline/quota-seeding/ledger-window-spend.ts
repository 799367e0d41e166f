/**
 * What the usage ledger says each quota window has spent so far (decision 0013): the quota's
 * subject's rollup cost since the start of the window that contains `now`, limited to the
 * requests its route glob matches, in micro-USD rounded up. One ledger query per subject kind and
 * window start, whatever the number of quotas.
 */
import { windowStartMs, type WindowBucket } from '../../control-plane/cache-port';
import type { LedgerSpend, LedgerSpendReader } from '../../control-plane/quotas/ledger-spend';
import type { CompiledQuota, QuotaWindow } from '../../control-plane/quotas/quota-book';
import { planQuotaBuckets, reservationMicroUsd } from '../quotas/plan-quota-buckets';

/** One budget of one quota: the window bucket its counter lives in. */
export interface SeedTarget {
  quota: CompiledQuota;
  window: QuotaWindow;
  bucket: WindowBucket;
}

/** Every budget the quotas set, with the same bucket keys admission counts in. */
export function seedTargets(quotas: readonly CompiledQuota[]): SeedTarget[] {
  return quotas.flatMap((quota) =>
    planQuotaBuckets([quota], 0).map(({ bucket, window }) => ({ quota, window, bucket })),
  );
}

/**
 * Whether a quota's route glob covers ledger spend. Admission matches the glob against the name the
 * client sent and the route it resolved to; the ledger keeps the route, and for direct
 * `provider/model` requests (no route) the provider and upstream model. A glob that matches only an
 * alias's own name is not seen here (docs/tenancy.md, "Quotas").
 */
export function coversSpend(route: RegExp | null, spend: LedgerSpend): boolean {
  if (route === null) return true;
  if (spend.routeName !== null) return route.test(spend.routeName);
  return (
    spend.providerName !== null &&
    spend.upstreamModel !== null &&
    route.test(`${spend.providerName}/${spend.upstreamModel}`)
  );
}

/** Per target, in input order: the ledger's spend in the window containing `nowMs`, in micro-USD. */
export async function ledgerWindowSpend(
  ledger: LedgerSpendReader,
  targets: readonly SeedTarget[],
  nowMs: number,
): Promise<number[]> {
  const sinceOf = (target: SeedTarget): string =>
    new Date(windowStartMs(target.bucket.windowMs, nowMs)).toISOString();
  const groups = new Map<string, { since: string; target: SeedTarget; ids: Set<string> }>();
  for (const target of targets) {
    const since = sinceOf(target);
    const group = `${target.quota.subjectKind}|${since}`;
    const entry = groups.get(group) ?? { since, target, ids: new Set<string>() };
    entry.ids.add(target.quota.subjectId);
    groups.set(group, entry);
  }
  const spends = new Map<string, LedgerSpend[]>();
  for (const [group, { since, target, ids }] of groups) {
    const rows = await ledger.sumLedgerSpend({
      subjectKind: target.quota.subjectKind,
      subjectIds: [...ids],
      since,
    });
    for (const row of rows) {
      const key = `${group}|${row.subjectId}`;
      const list = spends.get(key) ?? [];
      list.push(row);
      spends.set(key, list);
    }
  }
  return targets.map((target) => {
    const rows = spends.get(`${target.quota.subjectKind}|${sinceOf(target)}|${target.quota.subjectId}`);
    let pico = 0n;
    for (const row of rows ?? []) if (coversSpend(target.quota.route, row)) pico += BigInt(row.costPicoUsd);
    // A counter is a safe integer; any budget (at most $1e9) is long exhausted beyond it.
    return Math.min(reservationMicroUsd(pico), Number.MAX_SAFE_INTEGER);
  });
}
