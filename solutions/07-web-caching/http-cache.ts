/**
 * An HTTP cache middleware for Hono, in Redis, that behaves as a shared cache
 * must (RFC 9111): it stores only what the handler lets a shared cache store,
 * serves it while fresh with an Age, revalidates it when stale, keeps one copy
 * per variant (Vary), forgets a URL that was written to, and never turns a
 * Redis problem into an error page.
 *
 * In Redis, one hash per URL, at cacheKey(prefix, url):
 *   vary      the request headers the response varies on, as JSON: ["accept-language"]
 *   v:<hash>  one stored response per variant (provided/stored-response.ts)
 * so that forgetting a URL is one UNLINK, whatever its variants.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import {
  MAX_DELTA_SECONDS, cacheKey, initialAge, parseCacheControl, rfc9111Rules, variantKey, varyNames, type CacheRules,
} from './cache-policy.js';
import { decodeStored, encodeStored, readBody, storedHeaders, type StoredResponse } from '../../provided/stored-response.js';

export interface HttpCacheOptions {
  redis: Redis;
  /** Every key starts with it: one per site. */
  prefix: string;
  /** Who decides what is storable and for how long: ours (default) or the library's (library-way.ts). */
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

/** A response a request in flight stored, and the variant it was for: what a coalesced request may reuse. */
interface Shared {
  stored: StoredResponse;
  variant: string;
}

// Stryker disable next-line StringLiteral: GET and HEAD never reach the write check, and fetch refuses a TRACE request
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
/** What a 304 carries of the 200 it stands for (RFC 9110 §15.4.5). */
const NOT_MODIFIED_FIELDS = ['cache-control', 'content-location', 'date', 'etag', 'expires', 'last-modified', 'vary'];
const COUNTER = { HIT: 'hits', MISS: 'misses', STALE: 'stale', BYPASS: 'bypasses' } as const;
/** The field of the one variant of a response without Vary. */
const UNVARIED = `v:${variantKey([], new Headers())}`;

export function httpCache({
  redis, prefix, rules = rfc9111Rules, maxBodyBytes = 1024 * 1024, heuristicMaxSeconds = 0,
  keepStaleSeconds = 300, timeoutMs = 250, log = console.warn,
}: HttpCacheOptions): HttpCache {
  checkOptions({ prefix, maxBodyBytes, heuristicMaxSeconds, keepStaleSeconds, timeoutMs });
  const stats: HttpCacheStats = { hits: 0, misses: 0, stale: 0, bypasses: 0, errors: 0 };
  /** Misses in flight in this process, by key: the first runs the handler, the others wait for it. */
  const inFlight = new Map<string, Promise<Shared | undefined>>();
  let outage = false;

  /** A Redis call that can neither hang the request nor fail it. */
  async function guarded<T>(call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const value = await Promise.race([call(), timeout]);
      outage = false;
      return { ok: true, value };
    } catch (error) {
      stats.errors++;
      if (!outage) log(`[http-cache] Redis failed (${(error as Error).message}); the handler answers until Redis is back`);
      outage = true;
      // Stryker disable next-line ObjectLiteral: { ok: undefined } is falsy like { ok: false }
      return { ok: false };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The variant of the URL this request asks for, and the URL's Vary names. Garbage under the key is a miss, and deleted. */
  async function lookup(key: string, headers: Headers): Promise<{ names?: string[]; stored?: StoredResponse }> {
    try {
      // Most responses vary on nothing: ask for that variant in the same round trip.
      const [vary, unvaried] = await redis.hmgetBuffer(key, 'vary', UNVARIED);
      const names = parseNames(vary?.toString() ?? null);
      if (names === undefined) return {};
      // Stryker disable next-line ConditionalExpression: asking again for the unvaried field finds the same bytes, one round trip later
      const bytes = names.length === 0 ? unvaried : await redis.hgetBuffer(key, `v:${variantKey(names, headers)}`);
      return { names, stored: bytes === null ? undefined : decodeStored(bytes) };
    } catch (error) {
      const foreign = error instanceof ForeignValue || (error as Error | null)?.name === 'StoredResponseError' || /WRONGTYPE/.test(String(error));
      if (!foreign) throw error;
      await redis.unlink(key);
      return {};
    }
  }

  async function store(key: string, request: Request, stored: StoredResponse, previous: string[] | undefined): Promise<void> {
    const names = varyNames(new Headers(stored.headers)) as string[]; // never '*': not storable
    const validated = stored.headers.some(([name]) => name === 'etag' || name === 'last-modified');
    const seconds = stored.freshness - stored.initialAge + (validated ? keepStaleSeconds : 0);
    if (seconds <= 0) return; // stale on arrival, and nothing to revalidate it with
    const transaction = redis.multi();
    // The response's Vary changed: the old variants can no longer be found, so drop them.
    if (previous !== undefined && previous.join() !== names.join()) transaction.unlink(key);
    transaction
      .hset(key, 'vary', JSON.stringify(names), `v:${variantKey(names, request.headers)}`, encodeStored(stored))
      .pexpire(key, Math.ceil(Math.min(seconds, MAX_DELTA_SECONDS) * 1000));
    const failed = (await transaction.exec())?.find(([error]) => error !== null)?.[0];
    if (failed) throw failed;
  }

  /** After the handler ran: keep its response when the rules allow it. What was kept, if anything. */
  async function keep(c: Context, key: string, requestTime: number, previous: string[] | undefined): Promise<Shared | undefined> {
    const request = c.req.raw;
    const response = c.res;
    if (!rules.isStorable(request, response)) return undefined;
    // Stryker disable next-line ConditionalExpression: without this shortcut readBody stops at the limit and streams it through: the same answer
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
    c.res = new Response(bodyFor(stored, request.method), response); // the body was read: hand the bytes on
    await guarded(() => store(key, request, stored, previous));
    return { stored, variant: variantKey(varyNames(response.headers) as string[], request.headers) };
  }

  const middleware: MiddlewareHandler = async (c, next) => {
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') {
      await next();
      // A successful write makes what we hold for that URL (and where it points) stale.
      // Stryker disable next-line ConditionalExpression: a fetch Response cannot have a status under 200
      if (!SAFE.has(method) && c.res.status >= 200 && c.res.status < 400) {
        await guarded(() => redis.unlink(...invalidated(prefix, c.req.url, c.res.headers)));
      }
      return;
    }
    const request = c.req.raw;
    const done = (outcome: CacheOutcome) => {
      stats[COUNTER[outcome]]++;
      const response = withHeader(c.res, 'x-cache', outcome);
      // Stryker disable next-line ConditionalExpression: assigning c.res its own value only makes Hono copy it
      if (response !== c.res) c.res = response; // assigning c.res makes Hono copy the response: only when needed
    };
    if (parseCacheControl(request.headers.get('cache-control')).has('no-store')) {
      await next();
      return done('BYPASS');
    }

    const key = cacheKey(prefix, request.url);
    const found = await guarded(() => lookup(key, request.headers));
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
      const validators = validatorsOf(stored);
      if (method === 'GET' && validators.length > 0) {
        // Stale, but it can be checked: ask the handler whether it changed.
        const conditional = new Headers(request.headers);
        for (const [name, value] of validators) conditional.set(name, value);
        c.req.raw = new Request(request, { headers: conditional });
        const requestTime = Date.now();
        await next();
        c.req.raw = request;
        if (c.res.status === 304) {
          const refreshed = freshen(stored, c.res.headers, requestTime);
          await guarded(() => store(key, request, refreshed, names));
          c.res = undefined; // Hono would merge the 304's fields in, Set-Cookie too: freshen() took what may be kept
          c.res = answer(refreshed, request, currentAge(refreshed));
          return done('STALE');
        }
        // Changed: the new response replaces the stored one, or, if it may not be stored, the old one goes.
        if ((await keep(c, key, requestTime, names)) === undefined) await guarded(() => redis.unlink(key));
        return done('MISS');
      }
    }

    if (method === 'HEAD') {
      await next(); // nothing fresh to answer with, and a HEAD has no body to store
      return done('MISS');
    }

    // A miss. If a request in this process is already fetching this URL, wait for its response.
    const leader = inFlight.get(key);
    if (leader !== undefined) {
      const shared = await leader;
      const names = shared && (varyNames(new Headers(shared.stored.headers)) as string[]);
      // Stryker disable next-line LogicalOperator: names is undefined exactly when shared is, so || decides as && does
      if (shared && names && variantKey(names, request.headers) === shared.variant && allowedFor(shared.stored, request)) {
        c.res = answer(shared.stored, request, currentAge(shared.stored));
        return done('HIT');
      }
      await next(); // its response was not for everyone, or not for this variant
      return done('MISS');
    }
    const fetching = (async () => {
      const requestTime = Date.now();
      await next();
      return keep(c, key, requestTime, names);
    })();
    inFlight.set(key, fetching.catch(() => undefined));
    try {
      await fetching;
    } finally {
      inFlight.delete(key);
    }
    return done('MISS');
  };

  /** §4.3.4: a 304 updates the stored header fields (all but the body's length) and restarts the clock. */
  function freshen(stored: StoredResponse, notModified: Headers, requestTime: number): StoredResponse {
    const headers = new Headers(stored.headers);
    const updates = storedHeaders(notModified).filter(([name]) => name !== 'content-length');
    for (const [name] of updates) headers.delete(name);
    for (const [name, value] of updates) headers.append(name, value);
    const responseTime = Date.now();
    const response = new Response(null, { status: stored.status, headers });
    return {
      ...stored,
      headers: [...headers],
      responseTime,
      initialAge: initialAge(notModified, requestTime, responseTime),
      freshness: rules.freshnessLifetime(response, { now: responseTime, heuristicMaxSeconds }),
    };
  }

  return Object.assign(middleware, { stats });
}

/** A bad option fails here, at the call that made it, not as a cache that quietly never works. */
function checkOptions(options: Pick<Required<HttpCacheOptions>, 'prefix' | 'maxBodyBytes' | 'heuristicMaxSeconds' | 'keepStaleSeconds' | 'timeoutMs'>): void {
  if (typeof options.prefix !== 'string' || options.prefix === '') {
    throw new TypeError('httpCache: prefix must be a non-empty string, e.g. "site:http:" (a shared Redis needs a namespace)');
  }
  for (const name of ['maxBodyBytes', 'heuristicMaxSeconds', 'keepStaleSeconds'] as const) {
    const value = options[name];
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`httpCache: ${name} must be a whole number ≥ 0, got ${value}`);
  }
  // setTimeout fires at once for anything over 2^31 − 1 ms: every Redis call would "time out".
  if (!Number.isInteger(options.timeoutMs) || options.timeoutMs < 1 || options.timeoutMs > 2 ** 31 - 1) {
    throw new RangeError(`httpCache: timeoutMs must be a whole number of ms from 1 to 2^31 − 1, got ${options.timeoutMs}`);
  }
}

class ForeignValue extends Error {}

function parseNames(vary: string | null): string[] | undefined {
  // Stryker disable next-line ConditionalExpression: JSON.parse(null) is null, which fails the list test: a miss as well
  if (vary === null) return undefined;
  let names: unknown;
  try {
    names = JSON.parse(vary);
    // Stryker disable next-line BlockStatement: left undefined, the names fail the array test below and throw the same
  } catch {
    // Stryker disable next-line CallExpression: left undefined, the names fail the array test below and throw the same
    throw new ForeignValue();
  }
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw new ForeignValue();
  return names as string[];
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

function validatorsOf(stored: StoredResponse): Array<[string, string]> {
  const headers = new Headers(stored.headers);
  const validators: Array<[string, string]> = [];
  const etag = headers.get('etag');
  const lastModified = headers.get('last-modified');
  if (etag !== null) validators.push(['if-none-match', etag]);
  if (lastModified !== null) validators.push(['if-modified-since', lastModified]);
  return validators;
}

/** The stored response as this request gets it: a 304 when its own validators match (§4.3.2), with Age. */
function answer(stored: StoredResponse, request: Request, age: number): Response {
  const headers = new Headers(stored.headers);
  headers.set('age', String(Math.floor(age)));
  if (notModifiedFor(request.headers, headers)) {
    const kept = new Headers({ age: headers.get('age')! });
    for (const name of NOT_MODIFIED_FIELDS) if (headers.has(name)) kept.set(name, headers.get(name)!);
    return new Response(null, { status: 304, headers: kept });
  }
  return new Response(bodyFor(stored, request.method), { status: stored.status, headers });
}

function bodyFor(stored: StoredResponse, method: string): Uint8Array | null {
  // Stryker disable next-line LogicalOperator,ConditionalExpression,StringLiteral,ArrayDeclaration: belt and braces: Hono drops a HEAD's body itself, and a 204, 205 or 304 stored body is always empty
  const empty = method === 'HEAD' || stored.body.byteLength === 0 || [204, 205, 304].includes(stored.status);
  return empty ? null : stored.body;
}

/** If-None-Match, weakly compared, wins over If-Modified-Since (RFC 9110 §13.2.2). */
function notModifiedFor(request: Headers, stored: Headers): boolean {
  const ifNoneMatch = request.get('if-none-match');
  if (ifNoneMatch !== null) {
    const etag = stored.get('etag');
    if (etag === null) return false;
    const weak = (tag: string) => tag.trim().replace(/^W\//, '');
    // Stryker disable next-line MethodExpression: Headers.get already trims a value's ends
    return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => weak(tag) === weak(etag));
  }
  // Stryker disable next-line StringLiteral: any string that is not a date parses to NaN as '' does
  const since = Date.parse(request.get('if-modified-since') ?? '');
  // Stryker disable next-line StringLiteral: any string that is not a date parses to NaN as '' does
  const modified = Date.parse(stored.get('last-modified') ?? '');
  // Stryker disable next-line ConditionalExpression,LogicalOperator: a comparison with NaN is false anyway
  return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
}

/** The keys a successful write to `url` makes stale: its own, and the same-origin Location and Content-Location (RFC 9111 §4.4). */
function invalidated(prefix: string, url: string, headers: Headers): string[] {
  const origin = new URL(url).origin;
  const keys = [cacheKey(prefix, url)];
  for (const name of ['location', 'content-location']) {
    const target = headers.get(name);
    if (target === null) continue;
    const resolved = URL.canParse(target, url) ? new URL(target, url) : undefined;
    if (resolved?.origin === origin) keys.push(cacheKey(prefix, resolved.href));
  }
  return keys;
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
