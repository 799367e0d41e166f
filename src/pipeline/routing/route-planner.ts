/**
 * From a request to its ordered candidates: resolve the name, order the route's members by its
 * strategy (tiers first), expand each member into its credential pool (rotation), then put the
 * affinity pin, if the subject has one, in front. The state this keeps (round-robin turns,
 * latency averages, credential rotation, affinity pins) is per process.
 */
import type { ChannelRegistry } from '../../channel/registry';
import type { CredentialRecord } from '../../control-plane/model';
import type { KeyIdentity, Snapshot } from '../../control-plane/snapshot';
import { CredentialRotation } from '../credentials/rotation';
import type { GatewayRequest } from '../gateway-request';
import { planCandidates, type Candidate, type Plan } from '../plan';
import { authorize } from '../authorize';
import { resolveModel, type Resolution, type ResolvedMember } from '../resolve';
import { affinityKey, MemoryAffinityStore, type AffinityStore } from './affinity';
import { orderMembers } from './strategy';
import { MemberLatency, RouteTurns } from './strategy-state';

export interface RoutedRequest {
  resolution: Resolution;
  plan: Plan;
  /** Set when the route has affinity and the request a subject. */
  affinity: { key: string; ttlMs: number } | null;
  /** The candidate put first by the subject's pin, if any. */
  pinned: Candidate | null;
}

export interface RoutePlannerDeps {
  channels: ChannelRegistry;
  /** Where affinity pins live; an in-process map by default. */
  affinity?: AffinityStore;
  /** [0, 1) for the `weighted` strategy; Math.random by default. */
  random?: () => number;
}

export class RoutePlanner {
  private readonly turns = new RouteTurns();
  private readonly latency = new MemberLatency();
  private readonly rotation = new CredentialRotation();
  private readonly pins: AffinityStore;
  private readonly random: () => number;

  constructor(private readonly deps: RoutePlannerDeps) {
    this.pins = deps.affinity ?? new MemoryAffinityStore();
    this.random = deps.random ?? Math.random;
  }

  /**
   * Resolves, authorizes and orders; throws model_not_found / not_found (404) for unknown names and
   * permission_denied (403) for names the key may not use.
   */
  plan(snapshot: Snapshot, request: GatewayRequest, identity: KeyIdentity, now: number): RoutedRequest {
    const resolution = resolveModel(snapshot, request.model, request.scopeProvider);
    const allowed = authorize(identity.access, request.model, request.scopeProvider, resolution);
    const route = resolution.route;
    const members: readonly ResolvedMember[] = (
      route === null
        ? resolution.members
        : orderMembers(route.id, route.strategy, route.members, {
            nextTurn: (routeId, tier) => this.turns.next(routeId, tier),
            random: this.random,
            latencyOf: (memberId) => this.latency.get(memberId),
          }).map((view) => ({
            provider: view.provider,
            upstreamModel: view.member.model,
            member: view.member,
          }))
    ).filter(allowed);
    // One rotation turn per provider and request, however many members share the provider.
    const orders = new Map<string, readonly CredentialRecord[]>();
    const plan = planCandidates(members, request.operation, this.deps.channels, (provider) => {
      let order = orders.get(provider.id);
      if (order === undefined) {
        order = this.rotation.order(provider, identity.key.id, now);
        orders.set(provider.id, order);
      }
      return order;
    });
    return { resolution, plan, affinity: null, pinned: null };
  }

  /** Looks the subject's pin up and moves that candidate to the front (only for affinity routes). */
  async applyAffinity(
    routed: RoutedRequest,
    request: GatewayRequest,
    identity: KeyIdentity,
    now: number,
  ): Promise<void> {
    const route = routed.resolution.route;
    if (route === null || route.affinity === null) return;
    const key = await affinityKey(route.id, route.affinity, request, identity);
    if (key === null) return;
    routed.affinity = { key, ttlMs: route.affinity.ttlSeconds * 1000 };
    const pin = await this.pins.get(key, now);
    if (pin === undefined) return;
    const candidates = routed.plan.candidates;
    const index = candidates.findIndex(
      (c) => c.member.member?.id === pin.memberId && (c.credential?.id ?? null) === pin.credentialId,
    );
    const pinned = candidates[index];
    if (pinned === undefined) return;
    // Still only first in line: while it cools down the attempt loop skips it like any other.
    candidates.splice(index, 1);
    candidates.unshift(pinned);
    routed.pinned = pinned;
  }

  /** A candidate answered successfully after `latencyMs`. */
  answered(candidate: Candidate, latencyMs: number): void {
    const member = candidate.member.member;
    if (member !== null) this.latency.record(member.id, latencyMs);
  }

  /**
   * The candidate whose answer goes back to the client: sticky rotation remembers it, and so does
   * affinity when the answer is a success (re-pinned after a failover, the window rolls on).
   */
  served(
    routed: RoutedRequest,
    candidate: Candidate,
    success: boolean,
    identity: KeyIdentity,
    now: number,
  ): void {
    if (candidate.credential !== null) {
      this.rotation.served(candidate.member.provider, candidate.credential.id, identity.key.id, now);
    }
    const member = candidate.member.member;
    if (!success || routed.affinity === null || member === null) return;
    const pin = { memberId: member.id, credentialId: candidate.credential?.id ?? null };
    // Off the answer's path; a store that fails only costs the next request its pin.
    this.pins.set(routed.affinity.key, pin, routed.affinity.ttlMs, now).catch(() => undefined);
  }
}
