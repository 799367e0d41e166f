/**
 * Planning: the ordered candidates for a request = resolved members (in the route strategy's
 * order, routing/route-planner.ts) x each member's credential pool in rotation order. Health and
 * budgets are checked per attempt, when the candidate's turn comes (pipeline/attempt-loop.ts).
 */
import type { Channel, RoutingRule } from '../channel/contract';
import type { ChannelRegistry } from '../channel/registry';
import type { CredentialRecord } from '../control-plane/model';
import type { OperationKey } from '../protocol/operation';
import type { ResolvedMember } from './resolve';

export interface Candidate {
  member: ResolvedMember;
  channel: Channel;
  rule: Exclude<RoutingRule, { kind: 'unsupported' }>;
  /** null for channels that need no secret (mock). */
  credential: CredentialRecord | null;
}

/** Why a member produced no candidate; kept for the attempt trace. */
export interface SkippedMember {
  provider: string;
  reason: string;
  member: ResolvedMember;
}

export interface Plan {
  candidates: Candidate[];
  skipped: SkippedMember[];
}

/** The order a provider's credentials are tried in (rotation); the configured order by default. */
export type CredentialOrder = (provider: ResolvedMember['provider']) => readonly CredentialRecord[];

export function planCandidates(
  members: readonly ResolvedMember[],
  operation: OperationKey,
  channels: ChannelRegistry,
  credentialOrder: CredentialOrder = (provider) => provider.credentials,
): Plan {
  const candidates: Candidate[] = [];
  const skipped: SkippedMember[] = [];
  for (const member of members) {
    const provider = member.provider;
    const channel = channels.get(provider.channel);
    if (channel === undefined) {
      skipped.push({ member, provider: provider.name, reason: `unknown channel '${provider.channel}'` });
      continue;
    }
    const rule = channel.routingRule(
      operation,
      { name: provider.name, settings: provider.settings },
      member.upstreamModel,
    );
    if (rule.kind === 'unsupported') {
      skipped.push({
        member,
        provider: provider.name,
        reason: `cannot serve ${operation.operation} on ${operation.wire}`,
      });
      continue;
    }
    if (channel.descriptor.secretFields.length === 0 || rule.kind === 'local') {
      candidates.push({ member, channel, rule, credential: provider.credentials[0] ?? null });
      continue;
    }
    if (provider.credentials.length === 0) {
      skipped.push({ member, provider: provider.name, reason: 'no enabled credential' });
      continue;
    }
    for (const credential of credentialOrder(provider))
      candidates.push({ member, channel, rule, credential });
  }
  return { candidates, skipped };
}
