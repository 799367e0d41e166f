/**
 * Redis error replies that say the server cannot serve right now — a replica after a failover
 * (READONLY), a dataset still loading, out of memory, no master or cluster, a busy script, a
 * password that no longer works, an Upstash database over its plan's request limit — as opposed
 * to a command that is wrong. Both Redis-speaking backends turn these into
 * CacheUnavailableError, so callers fail open or closed as for an outage, never with a 500.
 */
const UNAVAILABLE_REPLIES =
  /^(READONLY|LOADING|OOM|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY|NOREPLICAS|NOAUTH|WRONGPASS|NOPERM)\b|^ERR max (daily )?requests? limit exceeded/;

export function isUnavailableReply(message: string): boolean {
  return UNAVAILABLE_REPLIES.test(message);
}
