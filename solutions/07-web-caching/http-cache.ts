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
import { guardRedis } from '../../provided/guarded-redis.js';
import { readBody, storedHeaders, type StoredResponse } from '../../provided/stored-response.js';

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

/** A miss in flight: what it stored and for which variant, for the requests that wait; a write to its URL voids it. */
interface Fill {
  done: Promise<{ stored: StoredResponse; variant: string } | undefined>;
  void: boolean;
}

const COUNTER = { HIT: 'hits', MISS: 'misses', STALE: 'stale', BYPASS: 'bypasses' } as const;

export function httpCache({
  redis, prefix, rules = targetedRules(), sortQuery = false, maxBodyBytes = 1024 * 1024, heuristicMaxSeconds = 0,
  keepStaleSeconds = 300, timeoutMs = 250, log = console.warn,
}: HttpCacheOptions): HttpCache {
  if (typeof prefix !== 'string' || prefix === '') throw new TypeError('httpCache: prefix must be a non-empty string, e.g. "site:http:"');
  for (const [name, value] of Object.entries({ maxBodyBytes, heuristicMaxSeconds, keepStaleSeconds })) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`httpCache: ${name} must be a whole number ≥ 0, got ${value}`);
  }
  const stats: HttpCacheStats = { hits: 0, misses: 0, stale: 0, bypasses: 0, errors: 0 };
  const guard = guardRedis({ timeoutMs, log, onError: () => stats.errors++ });
  const store = new ResponseStore(redis, keepStaleSeconds);
  const fills = new Map<string, Fill>();

  /** After the handler ran: store its response when the rules allow it (and no write voided the fill). What was stored. */
  async function keep(c: Context, key: string, requestTime: number, previous?: string[], fill?: Fill): Promise<StoredResponse | undefined> {
    const { raw: request } = c.req;
    const response = c.res;
    if (!rules.isStorable(request, response)) return undefined;
    if (Number(response.headers.get('content-length')) > maxBodyBytes) return undefined; // not worth reading
    const body = await readBody(response.body, maxBodyBytes);
    if (!body.complete) {
      c.res = new Response(body.stream, response); // too big to keep: streamed through, every byte
      return undefined;
    }
    const responseTime = Date.now();
    const stored: StoredResponse = {
      status: response.status,
      headers: storedHeaders(response.headers),
      body: body.bytes,
      responseTime,
      initialAge: initialAge(response.headers, requestTime, responseTime),
      freshness: rules.freshnessLifetime(response, { now: responseTime, heuristicMaxSeconds }),
    };
    c.res = new Response(body.bytes.byteLength > 0 ? body.bytes : null, response); // the body was read: hand the bytes on
    if (fill?.void) return undefined; // a write to this URL succeeded meanwhile: what we read may be old
    await guard(() => store.save(key, request.headers, stored, previous));
    return stored;
  }

  const middleware: MiddlewareHandler = async (c, next) => {
    const request = c.req.raw;
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD') {
      await next();
      const keys = invalidatedKeys(prefix, request, c.res, { sortQuery });
      for (const key of keys) if (fills.has(key)) fills.get(key)!.void = true;
      if (keys.length > 0) await guard(() => store.forget(keys));
      return;
    }
    const done = (outcome: CacheOutcome) => {
      stats[COUNTER[outcome]]++;
      const response = withHeader(c.res, 'x-cache', outcome);
      if (response !== c.res) c.res = response; // each assignment makes Hono copy the response: only when needed
    };
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
        if (notModified !== undefined) {
          const refreshed = freshen(stored, notModified, requestTime, rules, heuristicMaxSeconds);
          await guard(() => store.save(key, request.headers, refreshed, names));
          c.res = answer(refreshed, request, currentAge(refreshed));
          return done('STALE');
        }
        // Changed: the new response replaces the stored one, or, if it may not be stored, the old one goes.
        if ((await keep(c, key, requestTime, names)) === undefined) await guard(() => store.forget([key]));
        return done('MISS');
      }
    }

    if (method === 'HEAD') {
      await next(); // nothing fresh to answer with, and a HEAD has no body to store
      return done('MISS');
    }

    // A miss. If a request in this process is already fetching this URL, wait for what it stores.
    const leader = fills.get(key);
    if (leader !== undefined) {
      const shared = await leader.done;
      if (shared && !leader.void && variantOf(shared.stored, request) === shared.variant && allowedFor(shared.stored, request)) {
        c.res = answer(shared.stored, request, currentAge(shared.stored));
        return done('HIT');
      }
      await next(); // its response was not for everyone, not for this variant, or a write voided it
      return done('MISS');
    }
    const fill: Fill = { done: Promise.resolve(undefined), void: false };
    const requestTime = Date.now();
    const fetching = next()
      .then(() => keep(c, key, requestTime, names, fill))
      .then((stored) => stored && { stored, variant: variantOf(stored, request) });
    fill.done = fetching.catch(() => undefined); // the waiters ask the handler themselves
    fills.set(key, fill);
    try {
      await fetching;
    } finally {
      fills.delete(key);
    }
    return done('MISS');
  };

  return Object.assign(middleware, { stats });
}

function currentAge(stored: StoredResponse): number {
  return stored.initialAge + Math.max(0, Date.now() - stored.responseTime) / 1000;
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
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set(name, value);
    return copy;
  }
}
