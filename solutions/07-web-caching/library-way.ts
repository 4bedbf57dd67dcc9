/**
 * The library way: http-cache-semantics (what got, make-fetch-happen and
 * cacheable-request use) answers the middleware's two questions. The
 * middleware does not change: pass `rules: semanticsRules` to httpCache().
 *
 * It takes plain objects with lower-case header names, not Request and
 * Response, and it decides more than ours does (see the README): `immutable`,
 * `proxy-revalidate`, a POST with explicit freshness, and by default a guess
 * from Last-Modified. What it does not refuse, we still do: Set-Cookie (it
 * only stops counting such a response as fresh) and Vary: *.
 */
import CachePolicy from 'http-cache-semantics';
import { varyNames, type CacheRules, type FreshnessOptions } from './cache-policy.js';

function policyOf(request: Request, response: Response, heuristicMaxSeconds = 0): CachePolicy {
  return new CachePolicy(
    { method: request.method, url: new URL(request.url).pathname, headers: Object.fromEntries(request.headers) },
    // Fetch's Headers join repeated fields with ", "; the library wants Set-Cookie as a list (and none at all when there is none).
    { status: response.status, headers: { ...Object.fromEntries(response.headers), ...setCookie(response.headers) } },
    // Its default guesses 10 % of the time since Last-Modified; ours guesses only when asked to.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: without a cap, freshnessLifetime takes the guess down to 0 anyway
    { shared: true, cacheHeuristic: heuristicMaxSeconds > 0 ? 0.1 : 0, immutableMinTimeToLive: 0 },
  );
}

function setCookie(headers: Headers): { 'set-cookie'?: string[] } {
  const cookies = headers.getSetCookie();
  return cookies.length > 0 ? { 'set-cookie': cookies } : {};
}

export const semanticsRules: CacheRules = {
  isStorable(request, response) {
    return (
      request.method === 'GET' && // it would store HEAD, and a POST with explicit freshness
      policyOf(request, response).storable() &&
      !response.headers.has('set-cookie') &&
      varyNames(response.headers) !== '*'
    );
  },
  freshnessLifetime(response, { heuristicMaxSeconds = 0 }: FreshnessOptions = {}) {
    // Freshness depends on the response alone: any GET stands in for the request that fetched it.
    const seconds = policyOf(new Request('http://localhost/'), response, heuristicMaxSeconds).maxAge();
    // Stryker disable next-line StringLiteral: a string without max-age tests as '' does
    const explicit = /max-age|s-maxage/i.test(response.headers.get('cache-control') ?? '') || response.headers.has('expires');
    return explicit ? seconds : Math.min(seconds, heuristicMaxSeconds); // the library's guess has no cap of its own
  },
};
