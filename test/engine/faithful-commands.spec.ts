/**
 * The mock must refuse what Redis refuses, or a spec that is green on the
 * default backend hides a bug the real server shows (a foreign value read as
 * a value, a queue move of a key that is not there, a TTL that never lands).
 * The same expectations run on the real server under test:redis, so the mock
 * and Redis cannot drift apart.
 */
import { describe, expect, it } from 'vitest';
import { backend, onRealRedis, useRedis } from '../support/redis.js';

const ns = useRedis();
const WRONGTYPE = /WRONGTYPE/;

describe('a key of another type (WRONGTYPE on Redis; the mock answered with the value)', () => {
  it('GET and GETBUFFER of a LIST or a hash are refused', async () => {
    await ns.redis.rpush(ns.key('list'), 'a', 'b');
    await ns.redis.hset(ns.key('hash'), 'f', '1');
    for (const key of [ns.key('list'), ns.key('hash')]) {
      await expect(ns.redis.get(key)).rejects.toThrow(WRONGTYPE);
      await expect(ns.redis.getBuffer(key)).rejects.toThrow(WRONGTYPE);
    }
  });

  it('LLEN, LINDEX, LRANGE and RPUSH on a string are refused', async () => {
    await ns.redis.set(ns.key('s'), 'x');
    await expect(ns.redis.llen(ns.key('s'))).rejects.toThrow(WRONGTYPE);
    await expect(ns.redis.lindex(ns.key('s'), 0)).rejects.toThrow(WRONGTYPE);
    await expect(ns.redis.lrange(ns.key('s'), 0, -1)).rejects.toThrow(WRONGTYPE);
    await expect(ns.redis.rpush(ns.key('s'), 'a')).rejects.toThrow(WRONGTYPE);
  });

  it('HSET, HLEN, HGETALL on a string and ZADD on a list are refused, and leave the key as it was', async () => {
    await ns.redis.set(ns.key('s'), 'x');
    await ns.redis.rpush(ns.key('list'), 'a');
    await expect(ns.redis.hset(ns.key('s'), 'f', 'v')).rejects.toThrow(WRONGTYPE);
    await expect(ns.redis.hlen(ns.key('s'))).rejects.toThrow(WRONGTYPE);
    await expect(ns.redis.hgetall(ns.key('s'))).rejects.toThrow(WRONGTYPE);
    await expect(ns.redis.zadd(ns.key('list'), 1, 'm')).rejects.toThrow(WRONGTYPE);
    expect(await ns.redis.get(ns.key('s'))).toBe('x');
  });

  it('INCR of a string that is not a number is refused', async () => {
    await ns.redis.set(ns.key('version'), 'abc');
    await expect(ns.redis.incr(ns.key('version'))).rejects.toThrow(/not an integer/);
  });

  it('a key that does not exist has every type: GET is null, LLEN 0, HLEN 0', async () => {
    expect(await ns.redis.get(ns.key('none'))).toBeNull();
    expect(await ns.redis.llen(ns.key('none'))).toBe(0);
    expect(await ns.redis.hlen(ns.key('none'))).toBe(0);
  });
});

describe('MULTI … EXEC with a command that fails (Redis answers each command; the mock rejected EXEC)', () => {
  it('HSET on a string inside MULTI: its slot holds WRONGTYPE, and the other commands still run', async () => {
    await ns.redis.set(ns.key('s'), 'x');
    const replies = await ns.redis.multi().set(ns.key('k'), 'v').hset(ns.key('s'), 'f', 'v').exec();
    expect(replies?.[0]).toEqual([null, 'OK']);
    expect(replies?.[1]?.[0]).toBeInstanceOf(Error);
    expect(String(replies?.[1]?.[0])).toMatch(WRONGTYPE);
    expect(await ns.redis.get(ns.key('k'))).toBe('v');
    expect(await ns.redis.get(ns.key('s'))).toBe('x');
  });

  it('LLEN, LINDEX, LRANGE on a string inside MULTI each answer WRONGTYPE', async () => {
    await ns.redis.set(ns.key('s'), 'x');
    const replies = await ns.redis.multi().llen(ns.key('s')).lindex(ns.key('s'), 0).lrange(ns.key('s'), 1, -1).exec();
    expect(replies?.map(([error]) => String(error))).toEqual(Array(3).fill(expect.stringMatching(WRONGTYPE)));
  });

  it('a pipeline answers each command the same way', async () => {
    await ns.redis.rpush(ns.key('list'), 'a');
    const replies = await ns.redis.pipeline().get(ns.key('list')).llen(ns.key('list')).exec();
    expect(String(replies?.[0]?.[0])).toMatch(WRONGTYPE);
    expect(replies?.[1]).toEqual([null, 1]);
  });
});

describe('RENAMENX and RENAME of a key that does not exist', () => {
  it('are refused with "no such key" (the mock answered 1)', async () => {
    await expect(ns.redis.renamenx(ns.key('missing'), ns.key('to'))).rejects.toThrow(/no such key/);
    await expect(ns.redis.rename(ns.key('missing'), ns.key('to'))).rejects.toThrow(/no such key/);
    expect(await ns.redis.exists(ns.key('to'))).toBe(0);
  });

  it('inside MULTI, the slot holds the error', async () => {
    const replies = await ns.redis.multi().renamenx(ns.key('missing'), ns.key('to')).exec();
    expect(String(replies?.[0]?.[0])).toMatch(/no such key/);
  });

  it('RENAMENX of a key that exists moves it, and answers 0 when the target exists', async () => {
    await ns.redis.set(ns.key('a'), '1');
    expect(await ns.redis.renamenx(ns.key('a'), ns.key('b'))).toBe(1);
    await ns.redis.set(ns.key('a'), '2');
    expect(await ns.redis.renamenx(ns.key('a'), ns.key('b'))).toBe(0);
  });
});

describe("SET's options and EXPIRE (the mock stored the key without a TTL)", () => {
  it('SET with an unknown option such as "" is a syntax error, and stores nothing', async () => {
    await expect(ns.redis.set(ns.key('k'), 'v', '' as 'EX', 60)).rejects.toThrow(/syntax error/);
    const replies = await ns.redis.multi().set(ns.key('k'), 'v', '' as 'EX', 60).exec();
    expect(String(replies?.[0]?.[0])).toMatch(/syntax error/);
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
  });

  it('SET … EX refuses 1e20 and 1.5 (not an integer Redis can hold) and 0 (invalid expire time)', async () => {
    await expect(ns.redis.set(ns.key('k'), 'v', 'EX', 1e20)).rejects.toThrow(/not an integer or out of range/);
    await expect(ns.redis.set(ns.key('k'), 'v', 'EX', 1.5)).rejects.toThrow(/not an integer or out of range/);
    await expect(ns.redis.set(ns.key('k'), 'v', 'EX', 0)).rejects.toThrow(/invalid expire time/);
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
  });

  it('SET … EX takes the longest TTL whose milliseconds are a safe integer', async () => {
    const longest = Math.floor(Number.MAX_SAFE_INTEGER / 1000);
    expect(await ns.redis.set(ns.key('k'), 'v', 'EX', longest)).toBe('OK');
    expect(await ns.redis.ttl(ns.key('k'))).toBeGreaterThan(longest - 5);
  });

  it('EXPIRE refuses 1e20', async () => {
    await ns.redis.set(ns.key('k'), 'v');
    await expect(ns.redis.expire(ns.key('k'), 1e20)).rejects.toThrow(/not an integer or out of range/);
  });
});

describe('Lua scripts', () => {
  onRealRedis('Lua scripts run the mock\'s own commands, which the faithful layer cannot reach')(
    'a command that fails inside a script does not undo the writes before it (why a script checks first)',
    async () => {
      await ns.redis.set(ns.key('s'), 'x');
      const script = "redis.call('SET', KEYS[1], 'v'); return redis.call('ZADD', KEYS[2], 1, 'm')";
      await expect(ns.redis.eval(script, 2, ns.key('written'), ns.key('s'))).rejects.toThrow(WRONGTYPE);
      expect(await ns.redis.get(ns.key('written'))).toBe('v');
    },
  );

  it(`TYPE inside a script reads the same on ${backend} once unwrapped (Redis answers a status table, the mock a string)`, async () => {
    await ns.redis.rpush(ns.key('list'), 'a');
    const script = "local t = redis.call('TYPE', KEYS[1]); if type(t) == 'table' then t = t.ok end; return t";
    expect(await ns.redis.eval(script, 1, ns.key('list'))).toBe('list');
    expect(await ns.redis.eval(script, 1, ns.key('none'))).toBe('none');
  });
});

describe('a command with too few arguments (the mock answered as if nothing was asked)', () => {
  it('RPUSH with a key and no values, UNLINK and DEL with no keys, HSET without a value are refused', async () => {
    const call = (name: string, ...args: string[]) => (ns.redis as unknown as Record<string, (...a: string[]) => Promise<unknown>>)[name]!(...args);
    await expect(call('rpush', ns.key('list'))).rejects.toThrow(/wrong number of arguments/);
    await expect(call('unlink')).rejects.toThrow(/wrong number of arguments/);
    await expect(call('del')).rejects.toThrow(/wrong number of arguments/);
    await expect(call('hset', ns.key('hash'), 'field')).rejects.toThrow(/wrong number of arguments/);
    expect(await ns.redis.exists(ns.key('list'), ns.key('hash'))).toBe(0);
  });

  it('inside MULTI, EXEC discards the whole transaction (EXECABORT): nothing of it runs', async () => {
    const transaction = ns.redis.multi().set(ns.key('k'), 'v');
    (transaction as unknown as { rpush(key: string): unknown }).rpush(ns.key('list'));
    await expect(transaction.exec()).rejects.toThrow(/EXECABORT/);
    expect(await ns.redis.exists(ns.key('k'))).toBe(0);
  });
});

describe('what the faithful layer still lets through', () => {
  it('HSET with an object of fields, and RPUSH with an array of values, as ioredis sends them', async () => {
    expect(await ns.redis.hset(ns.key('hash'), { a: '1', b: '2' })).toBe(2);
    expect(await ns.redis.rpush(ns.key('list'), ...['x', 'y'])).toBe(2);
    expect(await ns.redis.hgetall(ns.key('hash'))).toEqual({ a: '1', b: '2' });
  });
});
