/**
 * Route affinity: a subject (user key, session header or conversation head) stays on the member
 * and credential that last served it for a rolling window, so upstream prompt caches stay warm.
 * The pins live behind AffinityStore: the in-process map below, or the shared cache backend
 * (shared-affinity.ts) when instances share one.
 */
import { sha256Hex } from '../../core/digest';
import type { RouteAffinity } from '../../control-plane/model';
import type { KeyIdentity } from '../../control-plane/snapshot';
import type { GatewayRequest } from '../gateway-request';
import { conversationHead } from './conversation-head';

/** The client header naming a session; it is never sent upstream. */
export const SESSION_HEADER = 'x-gproxy-session-id';

export interface AffinityPin {
  memberId: string;
  /** Null for channels that need no credential. */
  credentialId: string | null;
}

export interface AffinityStore {
  get(key: string, now: number): Promise<AffinityPin | undefined>;
  /** Pins (or re-pins) the key until `now + ttlMs`. */
  set(key: string, pin: AffinityPin, ttlMs: number, now: number): Promise<void>;
}

const MAX_PINS = 100_000;

/** Pins in a Map whose order doubles as recency; expired pins are dropped as they are met. */
export class MemoryAffinityStore implements AffinityStore {
  private readonly pins = new Map<string, { pin: AffinityPin; expiresAt: number }>();

  constructor(private readonly maxPins = MAX_PINS) {}

  get(key: string, now: number): Promise<AffinityPin | undefined> {
    const entry = this.pins.get(key);
    if (entry !== undefined && entry.expiresAt <= now) this.pins.delete(key);
    return Promise.resolve(entry !== undefined && entry.expiresAt > now ? entry.pin : undefined);
  }

  set(key: string, pin: AffinityPin, ttlMs: number, now: number): Promise<void> {
    this.pins.delete(key);
    if (this.pins.size >= this.maxPins) {
      for (const [old, entry] of this.pins) {
        if (entry.expiresAt <= now || this.pins.size >= this.maxPins) this.pins.delete(old);
        else break;
      }
    }
    this.pins.set(key, { pin, expiresAt: now + ttlMs });
    return Promise.resolve();
  }
}

/**
 * The store key for this request's subject on `routeId`, or null when the subject is absent (no
 * session header, no user turn): such requests take the normal order. Conversation heads are
 * hashed; only the hash is kept.
 */
export async function affinityKey(
  routeId: string,
  affinity: RouteAffinity,
  request: GatewayRequest,
  identity: KeyIdentity,
): Promise<string | null> {
  let subject: string | null;
  switch (affinity.subject) {
    case 'user_key':
      subject = identity.key.id;
      break;
    case 'session': {
      const session = request.sessionId ?? null;
      // Long ids are hashed so that a pin never holds more than a few dozen bytes of key.
      subject = session !== null && session.length > 128 ? await sha256Hex(session) : session;
      break;
    }
    case 'conversation': {
      const head = conversationHead(request.operation.wire, request.body);
      subject = head === null ? null : await sha256Hex(head);
      break;
    }
  }
  return subject === null || subject === '' ? null : `${routeId}\u0000${affinity.subject}\u0000${subject}`;
}
