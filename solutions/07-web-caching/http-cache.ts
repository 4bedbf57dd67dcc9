/**
 * An HTTP cache middleware for Hono, in Redis, that behaves as a shared cache
 * must (RFC 9111): it stores only what the handler lets a shared cache store,
 * serves it while fresh with an Age, revalidates it when stale, keeps one copy
 * per variant, forgets a URL that was written to, runs concurrent misses of a
 * URL once, and never turns a Redis problem into an error page.
 *
 * The pieces are the earlier steps: the rules (cache-policy.ts), the keys
 * (cache-key.ts), what a write makes stale (invalidation.ts), the Redis layout
 * (response-store.ts), revalidation (revalidation.ts), a client's conditional
 * request (conditional.ts), concurrent misses (coalescing.ts) and what a miss
 * keeps (miss.ts). This is the middleware that joins them.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { cacheKey } from './cache-key.js';
import { mayReuse, parseCacheControl, targetedRules, type CacheRules } from './cache-policy.js';
import { Fills } from './coalescing.js';
import { answer } from './conditional.js';
import { invalidatedKeys } from './invalidation.js';
import { keep, miss, type Filled, type KeepOptions } from './miss.js';
import { ResponseStore } from './response-store.js';
import { freshen, revalidate, validatorsOf } from './revalidation.js';
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
  const guard = guardRedis({ timeoutMs, log, onError: () => stats.errors++ });
  const fills = new Fills<Filled>();
  /** How a miss keeps the handler's response for this request: under its key, as its variant. */
  const keeping = (key: string, request: Request, previous?: string[]): KeepOptions => ({
    rules, maxBodyBytes, heuristicMaxSeconds, save: (stored) => guard(() => store.save(key, request.headers, stored, previous)),
  });

  const middleware: MiddlewareHandler = async (c, next) => {
    const request = c.req.raw;
    const method = request.method;
    const done = (outcome: CacheOutcome) => {
      stats[COUNTER[outcome]]++;
      const response = withHeader(c.res, 'x-cache', outcome);
      if (response !== c.res) c.res = response; // each assignment makes Hono copy the response: only when needed
    };
    if (method !== 'GET' && method !== 'HEAD') {
      await next();
      const keys = invalidatedKeys(prefix, request, c.res, { sortQuery });
      fills.void(keys);
      await guard(() => store.forget(keys));
      return;
    }
    if (parseCacheControl(request.headers.get('cache-control')).has('no-store')) {
      await next();
      return done('BYPASS');
    }

    const key = cacheKey(prefix, request.url, { sortQuery });
    const found = await guard(() => store.lookup(key, request.headers));
    if (!found.ok) {
      await next(); // Redis is down or slow: the handler answers, as if there were no cache
      return done('BYPASS');
    }
    const { names, stored } = found.value;

    if (stored !== undefined && mayReuse(stored, request)) {
      const age = currentAge(stored);
      if (age < stored.freshness) {
        c.res = answer(stored, request, age);
        return done('HIT');
      }
      if (method === 'GET' && validatorsOf(stored).length > 0) {
        const requestTime = Date.now();
        const notModified = await revalidate(c, next, stored);
        if (notModified === undefined) {
          // Changed: the new response replaces the stored one, or, if it may not be stored, the old one goes.
          if ((await keep(c, requestTime, keeping(key, request, names))) === undefined) await guard(() => store.forget([key]));
          return done('MISS');
        }
        const refreshed = freshen(stored, notModified, requestTime, rules, heuristicMaxSeconds);
        await guard(() => store.save(key, request.headers, refreshed, names));
        c.res = answer(refreshed, request, currentAge(refreshed));
        return done('STALE');
      }
    }

    // A miss: the handler answers once per URL in flight, and what may be kept is kept (never the answer to a HEAD).
    return done(await miss(c, next, key, fills, keeping(key, request, names)));
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
