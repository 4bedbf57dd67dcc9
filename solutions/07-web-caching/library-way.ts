/**
 * The library way: http-cache-semantics (what got, make-fetch-happen and
 * cacheable-request use) answers the middleware's two questions. The
 * middleware does not change: pass `rules: semanticsRules` to httpCache().
 *
 * It takes plain objects with lower-case header names, not Request and
 * Response, and it decides more than ours does (see the README): `immutable`,
 * `proxy-revalidate`, a POST with explicit freshness, and by default a guess
 * from Last-Modified. What it misses, the wrapper does not let through:
 * it refuses Set-Cookie and Vary: * itself, hands the library Cache-Control
 * with its directive names lower-cased (the library reads `PRIVATE` as an
 * unknown directive), and dates read as RFC 9110 reads them (the library's
 * Date.parse takes `18-Aug-2050` for a date).
 */
import CachePolicy from 'http-cache-semantics';
import { varyNames } from './cache-key.js';
import { parseCacheControl, type CacheRules, type FreshnessOptions } from './cache-policy.js';
import { parseHttpDate } from '../../provided/http-date.js';

function policyOf(request: Request, response: Response): CachePolicy {
  return new CachePolicy(
    { method: request.method, url: new URL(request.url).pathname, headers: plain(request.headers) },
    { status: response.status, headers: plain(response.headers) },
    // It guesses 10 % of the time since Last-Modified, with no cap: freshnessLifetime caps the guess at heuristicMaxSeconds (0: none).
    { shared: true, cacheHeuristic: 0.1, immutableMinTimeToLive: 0 },
  );
}

/** Headers as the library reads them: a plain object, Cache-Control and the dates cleaned of what it would misread. */
function plain(headers: Headers): Record<string, string> {
  const object: Record<string, string> = Object.fromEntries(headers);
  object['cache-control'] = [...parseCacheControl(headers.get('cache-control'))].map(([name, value]) => (value === true ? name : `${name}=${value}`)).join(', ');
  for (const name of ['date', 'last-modified']) if (parseHttpDate(headers.get(name)) === undefined) delete object[name];
  if (headers.has('expires') && parseHttpDate(headers.get('expires')) === undefined) object.expires = '0'; // RFC 9111 §5.3: expired
  return object;
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
    const seconds = policyOf(new Request('http://localhost/'), response).maxAge();
    const said = parseCacheControl(response.headers.get('cache-control'));
    const explicit = said.has('max-age') || said.has('s-maxage') || response.headers.has('expires');
    return explicit ? Math.floor(seconds) : Math.min(Math.floor(seconds), heuristicMaxSeconds); // the library's guess has no cap of its own
  },
};
