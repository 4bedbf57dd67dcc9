/**
 * A redis-server of the spec's own with a small maxmemory, for the specs that
 * need Redis to evict. The settings are command-line arguments of a server
 * on a free port: no CONFIG SET ever reaches a learner's Redis (6379) or the
 * shared cluster (7300-7305).
 */
import { it, type TestFunction } from 'vitest';
import { backend } from '../support/redis.js';
import { startRedisServer, withRedisServer, type ThrowawayRedis } from '../support/redis-server.js';

type Test = (name: string, fn: TestFunction, timeout?: number) => void;

/** Runs with --redis real (and a redis-server binary); on the mock it is skipped with a line that says how to run it. */
export function onEvictingServer(): Test {
  if (backend === 'real') return withRedisServer();
  return (name, fn) =>
    it.skip(`${name} [skipped on ioredis-mock: eviction needs a redis-server of its own with a small maxmemory; run with --redis real]`, fn);
}

export function startEvictingServer(policy: string, maxmemory = '4mb'): Promise<ThrowawayRedis> {
  return startRedisServer(['--maxmemory', maxmemory, '--maxmemory-policy', policy]);
}
