/**
 * An HTTP cache middleware for Hono, in Redis, that behaves as a shared cache
 * must (RFC 9111): it stores only what the handler lets a shared cache store,
 * serves it while fresh with an Age, revalidates it when stale, keeps one copy
 * per variant, forgets a URL that was written to, runs concurrent misses of a
 * URL once, and never turns a Redis problem into an error page.
 *
 * The pieces are the earlier steps: the rules (cache-policy.ts), the keys
 * (cache-key.ts), what a write makes stale (invalidation.ts), the Redis layout
 * (response-store.ts) and conditional requests (revalidation.ts).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { cacheKey, variantKey, varyNames } from './cache-key.js';
import { initialAge, parseCacheControl, targetedRules, type CacheRules } from './cache-policy.js';
import { invalidatedKeys } from './invalidation.js';
import { ResponseStore } from './response-store.js';
import { answer, freshen, revalidate, validatorsOf } from './revalidation.js';
import { Fills } from './coalescing.js';
import { guardRedis } from '../../provided/guarded-redis.js';
import { captureResponse, currentAge, type StoredResponse } from '../../provided/stored-response.js';

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
  keepStaleSeconds = 300, timeoutMs = 250, log = console.warn,
}: HttpCacheOptions): HttpCache {
  checkOptions({ prefix, maxBodyBytes, heuristicMaxSeconds, keepStaleSeconds });
  const stats: HttpCacheStats = { hits: 0, misses: 0, stale: 0, bypasses: 0, errors: 0 };
  const guard = guardRedis({ timeoutMs, log, onError: () => stats.errors++ });
  const store = new ResponseStore(redis, keepStaleSeconds);
  const fills = new Fills<{ stored: StoredResponse; variant: string }>(); // what a miss stored, and for which variant

  /** After the handler ran: store its response when the rules allow it, unless a write voided this fill. What was stored. */
  async function keep(c: Context, key: string, requestTime: number, previous?: string[], voided = () => false): Promise<StoredResponse | undefined> {
    if (!rules.isStorable(c.req.raw, c.res)) return undefined;
    const captured = await captureResponse(c.res, maxBodyBytes);
    c.res = captured.response; // the body was read: hand on the same bytes, or stream them through
    if (!captured.complete || voided()) return undefined;
    const responseTime = Date.now();
    const stored: StoredResponse = {
      status: captured.status,
      headers: captured.headers,
      body: captured.body,
      responseTime,
      initialAge: initialAge(c.res.headers, requestTime, responseTime),
      freshness: rules.freshnessLifetime(c.res, { now: responseTime, heuristicMaxSeconds }),
    };
    await guard(() => store.save(key, c.req.raw.headers, stored, previous));
    return stored;
  }

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
      if (keys.length > 0) await guard(() => store.forget(keys));
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

    if (stored !== undefined && allowedFor(stored, request)) {
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
          if ((await keep(c, key, requestTime, names)) === undefined) await guard(() => store.forget([key]));
          return done('MISS');
        }
        const refreshed = freshen(stored, notModified, requestTime, rules, heuristicMaxSeconds);
        await guard(() => store.save(key, request.headers, refreshed, names));
        c.res = answer(refreshed, request, currentAge(refreshed));
        return done('STALE');
      }
    }

    if (method === 'HEAD') {
      await next(); // nothing fresh to answer with, and a HEAD has no body to store
      return done('MISS');
    }
    // A miss. If a request in this process is already fetching this URL, wait for what it stores.
    const requestTime = Date.now();
    const shared = await fills.run(key, async (voided) => {
      await next();
      const kept = await keep(c, key, requestTime, names, voided);
      return kept && { stored: kept, variant: variantOf(kept, request) };
    });
    if (!shared.leader) {
      const { value } = shared;
      if (value !== undefined && variantOf(value.stored, request) === value.variant && allowedFor(value.stored, request)) {
        c.res = answer(value.stored, request, currentAge(value.stored));
        return done('HIT');
      }
      await next(); // its response was not for everyone, not for this variant, or a write voided it
    }
    return done('MISS');
  };

  return Object.assign(middleware, { stats });
}

/** §3.5: a response to an authenticated request is reused only where the origin allowed it to be shared. */
function allowedFor(stored: StoredResponse, request: Request): boolean {
  if (!request.headers.has('authorization')) return true;
  const said = parseCacheControl(new Headers(stored.headers).get('cache-control'));
  return said.has('public') || said.has('s-maxage') || said.has('must-revalidate');
}

/** The variant of a stored response's URL that `request` asks for. */
function variantOf(stored: StoredResponse, request: Request): string {
  return variantKey(varyNames(new Headers(stored.headers)) as string[], request.headers);
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
