import { QUEUE_PREFIX } from './bullmq-run-queue.ts';

/**
 * The Redis ACL rules of the user the lab and its workers share: every key under the queue's
 * prefix and no other, no pub/sub channels, every command but the dangerous ones (FLUSHALL,
 * CONFIG, KEYS, DEBUG, ACL, CLIENT KILL...), with INFO given back because BullMQ reads the server's
 * version and eviction policy with it. BullMQ's Lua scripts only touch keys under the prefix, which
 * Redis checks on every call inside a script.
 */
export const QUEUE_ACL_RULES = ['resetkeys', `~${QUEUE_PREFIX}*`, 'resetchannels', '+@all', '-@dangerous', '+info'] as const;

/** The `user` line of a redis.conf (or the arguments of `ACL SETUSER`) for that user. */
export function queueAclUser(name: string, password: string): string[] {
  return [name, 'on', `>${password}`, ...QUEUE_ACL_RULES];
}
