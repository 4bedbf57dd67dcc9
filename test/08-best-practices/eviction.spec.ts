import { afterEach, describe, expect, it } from 'vitest';
import { choosePolicy, configureEviction } from '@kata/08-best-practices/eviction.js';
import { expectRefusal } from '../support/refusal.js';
import { onOwnServer, ownServer, scriptedRedis, untouchable, type OwnServer } from './helpers.js';

let server: OwnServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('choosePolicy (which keys may Redis drop?)', () => {
  it('evicts any key of a pure cache: allkeys-lru, or allkeys-lfu when a few keys are read far more often', () => {
    expect(choosePolicy('cache')).toBe('allkeys-lru');
    expect(choosePolicy('cache', 'frequency')).toBe('allkeys-lfu');
  });

  it('evicts only keys with a TTL when pinned keys (written without one) must stay beside the copies', () => {
    expect(choosePolicy('cache-with-pinned-keys')).toBe('volatile-lru');
    expect(choosePolicy('cache-with-pinned-keys', 'frequency')).toBe('volatile-lfu');
  });

  it('never evicts data (sessions, locks, rate limits, queues): the write fails instead, and the writer knows (noeviction)', () => {
    expect(choosePolicy('data')).toBe('noeviction');
    expect(choosePolicy('data', 'frequency')).toBe('noeviction');
  });

  it('refuses a use or an access pattern it does not know (RangeError)', async () => {
    await expectRefusal(() => choosePolicy('sessions' as never), RangeError, 'use');
    await expectRefusal(() => choosePolicy('cache', 'random' as never), RangeError, 'access');
  });
});

describe('configureEviction', () => {
  it('sends the bound, the policy and the samples in one CONFIG SET (all apply or none), and returns what CONFIG GET then says', async () => {
    const { redis, sent, config } = scriptedRedis({});
    const settings = await configureEviction(redis, { maxmemory: 1_000_000, policy: 'allkeys-lfu', samples: 10 });
    const sets = sent.filter((command) => String(command[1]).toUpperCase() === 'CONFIG' && String(command[2]).toUpperCase() === 'SET');
    expect(sets).toHaveLength(1);
    expect(config.get('maxmemory')).toBe('1000000');
    expect(config.get('maxmemory-policy')).toBe('allkeys-lfu');
    expect(config.get('maxmemory-samples')).toBe('10');
    expect(settings).toEqual({ maxmemory: 1_000_000, policy: 'allkeys-lfu', samples: 10 });
  });

  it('reports the server\'s own samples when none is given', async () => {
    const { redis } = scriptedRedis({});
    expect(await configureEviction(redis, { maxmemory: 2_000, policy: 'volatile-ttl' })).toEqual({ maxmemory: 2_000, policy: 'volatile-ttl', samples: 5 });
  });

  it('refuses settings that would leave the server unbounded or unknown, before sending anything (RangeError)', async () => {
    const bad = [
      [{ maxmemory: 0, policy: 'allkeys-lru' }, 'maxmemory'],
      [{ maxmemory: 1.5, policy: 'allkeys-lru' }, 'maxmemory'],
      [{ maxmemory: 1_000_000, policy: 'allkeys-LRU' }, 'policy'],
      [{ maxmemory: 1_000_000, policy: 'allkeys-lfu', samples: 65 }, 'samples'],
    ] as const;
    for (const [settings, parameter] of bad) {
      const { redis, touched } = untouchable();
      await expectRefusal(() => configureEviction(redis, settings as never), RangeError, parameter);
      expect(touched, JSON.stringify(settings)).toEqual([]);
    }
  });

  onOwnServer('needs CONFIG SET')('sets maxmemory, the policy and the samples on a server, and returns what it now says', async () => {
    server = await ownServer();
    const settings = await configureEviction(server.redis, { maxmemory: 50_000_000, policy: 'allkeys-lfu', samples: 10 });
    expect(settings).toEqual({ maxmemory: 50_000_000, policy: 'allkeys-lfu', samples: 10 });
    expect(await server.redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lfu']);
  });
});
