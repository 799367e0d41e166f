/**
 * Planning: the ordered candidates for a request = resolved members (route order) x each member's
 * credential pool. Rotation, health and budgets join here in later issues; for now the order is the
 * configured one.
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
}

export interface Plan {
  candidates: Candidate[];
  skipped: SkippedMember[];
}

export function planCandidates(
  members: readonly ResolvedMember[],
  operation: OperationKey,
  channels: ChannelRegistry,
): Plan {
  const candidates: Candidate[] = [];
  const skipped: SkippedMember[] = [];
  for (const member of members) {
    const provider = member.provider;
    const channel = channels.get(provider.channel);
    if (channel === undefined) {
      skipped.push({ provider: provider.name, reason: `unknown channel '${provider.channel}'` });
      continue;
    }
    const rule = channel.routingRule(operation, { name: provider.name, settings: provider.settings });
    if (rule.kind === 'unsupported') {
      skipped.push({
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
      skipped.push({ provider: provider.name, reason: 'no enabled credential' });
      continue;
    }
    for (const credential of provider.credentials) candidates.push({ member, channel, rule, credential });
  }
  return { candidates, skipped };
}
