/** What the CopyStore and FailSafeCache specs (core and deep) share: a Redis with an off switch, a clock, a database that counts. */
import type { Redis } from 'ioredis';
import { vi } from 'vitest';

/** The test's Redis, with a switch: while down, every command fails as a refused connection does. */
export function switchable(redis: Redis) {
  let down = false;
  let commands = 0;
  const sent: string[] = [];
  const proxy = new Proxy(redis, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        commands++;
        sent.push(String(property));
        if (down) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
        return value.apply(target, args);
      };
    },
  });
  return {
    redis: proxy,
    down: () => void (down = true),
    up: () => void (down = false),
    sent,
    get commands() {
      return commands;
    },
  };
}

/** A Redis whose `command` always fails with `error` (a ReplyError such as WRONGTYPE or OOM), everything else as usual. */
export function failing(redis: Redis, command: string, error: () => Error): Redis {
  return new Proxy(redis, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === command) return () => Promise.reject(error());
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/** A loader that counts its calls, as the database counts queries. */
export function database(values: Record<string, unknown> = {}) {
  return vi.fn(async (key: string) => (key in values ? values[key] : `row ${key}`));
}
