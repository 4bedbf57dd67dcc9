/**
 * Exercise 11 of 12: the middleware (source 7.2), a shared HTTP cache in Redis
 * that follows RFC 9111 instead of caching every 200.
 *
 * Below is the source's cache_middleware, translated to Hono: every GET, by
 * md5(path + query), every 200 for 60 seconds, only the body kept. Each thing
 * it gets wrong is a spec: run `npm run lesson 7 http-cache` and read their names.
 *
 * You are given the earlier steps (provided/http-cache-parts.ts), the stored
 * form of a response (provided/stored-response.ts), and a fail-safe Redis call
 * (provided/guarded-redis.ts). What is left is the middleware that joins them.
 */
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
// Given: the steps before this one, and the plumbing.
import {
  Fills, ResponseStore, answer, cacheKey, freshen, invalidatedKeys, keep, mayReuse, miss, parseCacheControl, revalidate, targetedRules,
  validatorsOf, type CacheRules, type Filled, type KeepOptions,
} from '../../provided/http-cache-parts.js';
import { guardRedis } from '../../provided/guarded-redis.js';
import { currentAge } from '../../provided/stored-response.js';

export interface HttpCacheOptions {
  redis: Redis;
  /** Every key starts with it: one per app. */
  prefix: string;
  /** Who decides what is storable and for how long. Default: ours, reading CDN-Cache-Control first (RFC 9213). */
  rules?: CacheRules;
  /** Sort query parameters into one key (opt-in: wrong for signed URLs). Default false. */
  sortQuery?: boolean;
  /** A larger body is streamed to the client and not stored. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Guess freshness from Last-Modified, up to this many seconds. Default 0: never guess. */
  heuristicMaxSeconds?: number;
  /** How long a stale response with a validator stays in Redis, ready to be revalidated. Default 300. */
  keepStaleSeconds?: number;
  /** A Redis call slower than this is given up on, and the handler answers. Default 250 ms. */
  timeoutMs?: number;
  /** Told once when Redis starts failing, and not again until it has answered. Default console.warn. */
  log?: (message: string) => void;
  /** Where responses live. Default: a ResponseStore on `redis`; the bonus HotResponseStore keeps hot pages in memory too. */
  store?: ResponseStore;
}

/** What `X-Cache` says: served from the cache, fetched, revalidated, or the cache stood aside. */
export type CacheOutcome = 'HIT' | 'MISS' | 'STALE' | 'BYPASS';

export interface HttpCacheStats {
  hits: number;
  misses: number;
  stale: number;
  bypasses: number;
  /** Redis calls that failed or timed out. */
  errors: number;
}

export type HttpCache = MiddlewareHandler & { readonly stats: HttpCacheStats };

const COUNTER = { HIT: 'hits', MISS: 'misses', STALE: 'stale', BYPASS: 'bypasses' } as const;

export function httpCache({
  redis, prefix, rules = targetedRules(), sortQuery = false, maxBodyBytes = 1024 * 1024, heuristicMaxSeconds = 0,
  keepStaleSeconds = 300, timeoutMs = 250, log = console.warn, store = new ResponseStore(redis, keepStaleSeconds),
}: HttpCacheOptions): HttpCache {
  checkOptions({ prefix, maxBodyBytes, heuristicMaxSeconds, keepStaleSeconds });
  const stats: HttpCacheStats = { hits: 0, misses: 0, stale: 0, bypasses: 0, errors: 0 };
  void [rules, sortQuery, timeoutMs, log, store, COUNTER, guardRedis, currentAge, keep, miss, mayReuse];
  void [answer, freshen, revalidate, validatorsOf, invalidatedKeys, parseCacheControl, cacheKey, new Fills<Filled>(), {} as KeepOptions];

  const middleware: MiddlewareHandler = async (c: Context, next) => {
    if (c.req.method !== 'GET') {
      await next();
      return;
    }

    const url = new URL(c.req.url);
    const key = prefix + createHash('md5').update(`${url.pathname}${url.search}`).digest('hex');

    const cached = await redis.getBuffer(key);
    if (cached) {
      return c.body(new Uint8Array(cached), 200, { 'content-type': 'application/json' });
    }

    await next();

    if (c.res.status === 200) {
      const body = Buffer.from(await c.res.arrayBuffer());
      await redis.setex(key, 60, body);
      c.res = new Response(new Uint8Array(body), { headers: { 'content-type': 'application/json' } });
    }
  };

  return Object.assign(middleware, { stats });
}

/** Sets a header, on a copy when the response's headers are immutable (a redirect, a fetched response). */
export function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set(name, value);
    return copy;
  }
}

/** A bad option fails here, at the call that made it, not as a cache that quietly never works. */
function checkOptions(options: Pick<Required<HttpCacheOptions>, 'prefix' | 'maxBodyBytes' | 'heuristicMaxSeconds' | 'keepStaleSeconds'>): void {
  if (typeof options.prefix !== 'string' || options.prefix === '') {
    throw new TypeError('httpCache: prefix must be a non-empty string, e.g. "site:http:" (a shared Redis needs a namespace)');
  }
  for (const name of ['maxBodyBytes', 'heuristicMaxSeconds', 'keepStaleSeconds'] as const) {
    const value = options[name];
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`httpCache: ${name} must be a whole number ≥ 0, got ${value}`);
  }
}
