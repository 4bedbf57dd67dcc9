/**
 * Exercise 4 of 5: the middleware (source 7.2), a shared HTTP cache in Redis
 * that follows RFC 9111 instead of caching every 200.
 *
 * Below is the source's cache_middleware, translated to Hono: every GET, by
 * md5(path + query), every 200 for 60 seconds, only the body kept. Each thing
 * it gets wrong is a spec: run `npm run lesson 7` and read their names.
 *
 * You are given (provided/stored-response.ts) the stored form of a response
 * and its codec, and a body reader that stops at a size limit; and, from
 * exercise 3, the rules (cache-policy.ts).
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import type { CacheRules } from './cache-policy.js';
// Given: what to store and how (see the README), for when you leave the source's version behind.
import { decodeStored, encodeStored, readBody, storedHeaders, type StoredResponse } from '../../provided/stored-response.js';

export interface HttpCacheOptions {
  redis: Redis;
  /** Every key starts with it: one per site. */
  prefix: string;
  /** Who decides what is storable and for how long: ours (default, rfc9111Rules) or the library's (library-way.ts). */
  rules?: CacheRules;
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

export function httpCache({ redis, prefix }: HttpCacheOptions): HttpCache {
  const stats: HttpCacheStats = { hits: 0, misses: 0, stale: 0, bypasses: 0, errors: 0 };

  const middleware: MiddlewareHandler = async (c, next) => {
    if (c.req.method !== 'GET') {
      await next();
      return;
    }

    const url = new URL(c.req.url);
    const cacheKey = prefix + createHash('md5').update(`${url.pathname}${url.search}`).digest('hex');

    const cached = await redis.getBuffer(cacheKey);
    if (cached) {
      return c.body(new Uint8Array(cached), 200, { 'content-type': 'application/json' });
    }

    await next();

    if (c.res.status === 200) {
      const body = Buffer.from(await c.res.arrayBuffer());
      await redis.setex(cacheKey, 60, body);
      c.res = new Response(new Uint8Array(body), { headers: { 'content-type': 'application/json' } });
    }
  };

  return Object.assign(middleware, { stats });
}
