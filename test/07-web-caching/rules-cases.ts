/**
 * The storability and freshness rules as tables, shared by cache-policy.spec.ts
 * (our rules) and library-way.spec.ts (http-cache-semantics): both must agree
 * on every line.
 */
export const T = Date.parse('2026-01-01T00:00:00Z');
export const httpDate = (ms: number) => new Date(ms).toUTCString();

export interface StorableCase {
  name: string;
  /** A corner: checked in the deep tier; the others are the core. */
  deep?: boolean;
  request?: RequestInit & { headers?: Record<string, string> };
  status?: number;
  headers?: Record<string, string>;
  storable: boolean;
}

export const storableCases: StorableCase[] = [
  { name: 'a plain 200 to a GET', storable: true },
  { name: 'a 404 (cacheable by default)', status: 404, storable: true },
  { deep: true, name: 'a 204 (cacheable by default)', status: 204, storable: true },
  { deep: true, name: 'a 301 (cacheable by default)', status: 301, headers: { location: '/elsewhere' }, storable: true },
  { name: 'a 500 without freshness', status: 500, storable: false },
  { deep: true, name: 'a 201 without freshness', status: 201, storable: false },
  { name: 'a 206 partial response (this cache stores no ranges)', status: 206, storable: false },
  { deep: true, name: 'a 206 even with max-age=60', status: 206, headers: { 'cache-control': 'max-age=60' }, storable: false },
  { deep: true, name: 'a 304 even with max-age=60 (it has no body to serve)', status: 304, headers: { 'cache-control': 'max-age=60' }, storable: false },
  { name: 'the answer to a POST', request: { method: 'POST' }, storable: false },
  { deep: true, name: 'the answer to a HEAD (HEAD is answered from a stored GET)', request: { method: 'HEAD' }, storable: false },
  { name: 'Cache-Control: no-store', headers: { 'cache-control': 'no-store' }, storable: false },
  { deep: true, name: 'a request that says no-store', request: { headers: { 'cache-control': 'no-store' } }, storable: false },
  { name: 'Cache-Control: private (one user\'s answer)', headers: { 'cache-control': 'private, max-age=60' }, storable: false },
  { deep: true, name: 'private with a field list', headers: { 'cache-control': 'private="x-user", max-age=60' }, storable: false },
  { name: 'a response that sets a cookie', headers: { 'set-cookie': 'session=abc; HttpOnly', 'cache-control': 'max-age=60' }, storable: false },
  { deep: true, name: 'Vary: * (varies on what no header shows)', headers: { vary: 'Accept, *', 'cache-control': 'max-age=60' }, storable: false },
  { name: 'an answer to Authorization without permission to share it', request: { headers: { authorization: 'Bearer a' } }, headers: { 'cache-control': 'max-age=60' }, storable: false },
  { name: 'an answer to Authorization marked public', request: { headers: { authorization: 'Bearer a' } }, headers: { 'cache-control': 'public, max-age=60' }, storable: true },
  { deep: true, name: 'an answer to Authorization with s-maxage', request: { headers: { authorization: 'Bearer a' } }, headers: { 'cache-control': 's-maxage=60' }, storable: true },
  { deep: true, name: 'an answer to Authorization with must-revalidate', request: { headers: { authorization: 'Bearer a' } }, headers: { 'cache-control': 'must-revalidate, max-age=60' }, storable: true },
  { deep: true, name: 'no-cache (stored, but revalidated every time)', headers: { 'cache-control': 'no-cache', etag: '"v1"' }, storable: true },
];

/** Where RFC 9111 and http-cache-semantics part ways; ours follows the RFC (the README says why). */
export const rfcOnlyStorableCases: StorableCase[] = [
  { name: 'a 500 the handler gave max-age=60 (the library stores no 500, whatever it says)', status: 500, headers: { 'cache-control': 'max-age=60' }, storable: true },
  { name: 'a 500 marked public (explicit permission to store)', status: 500, headers: { 'cache-control': 'public' }, storable: true },
  { name: 'a 500 with s-maxage=60', status: 500, headers: { 'cache-control': 's-maxage=60' }, storable: true },
  { name: 'a 500 with an Expires', status: 500, headers: { expires: httpDate(T + 60_000) }, storable: true },
];

export interface FreshnessCase {
  name: string;
  /** A corner: checked in the deep tier; the others are the core. */
  deep?: boolean;
  status?: number;
  headers: Record<string, string>;
  heuristicMaxSeconds?: number;
  seconds: number;
}

export const freshnessCases: FreshnessCase[] = [
  { name: 'max-age=60 is 60 s', headers: { 'cache-control': 'max-age=60' }, seconds: 60 },
  { deep: true, name: 's-maxage wins over max-age in a shared cache', headers: { 'cache-control': 'max-age=60, s-maxage=30' }, seconds: 30 },
  { deep: true, name: 'max-age wins over Expires', headers: { 'cache-control': 'max-age=10', date: httpDate(T), expires: httpDate(T + 120_000) }, seconds: 10 },
  { name: 'Expires minus Date', headers: { date: httpDate(T), expires: httpDate(T + 120_000) }, seconds: 120 },
  { deep: true, name: 'an Expires in the past is stale (0)', headers: { date: httpDate(T), expires: httpDate(T - 5_000) }, seconds: 0 },
  { name: 'Expires: 0 (not a date) is stale', headers: { date: httpDate(T), expires: '0' }, seconds: 0 },
  { deep: true, name: 'no-cache is 0: revalidate before every use', headers: { 'cache-control': 'no-cache, max-age=60' }, seconds: 0 },
  { name: 'nothing said is 0: no heuristic unless asked for', headers: { date: httpDate(T), 'last-modified': httpDate(T - 10 * 86_400_000) }, seconds: 0 },
  { deep: true, name: 'a quoted argument: max-age="60"', headers: { 'cache-control': 'max-age="60"' }, seconds: 60 },
];

export const rfcOnlyFreshnessCases: FreshnessCase[] = [];

/** Directive names are case-insensitive (RFC 9111 §5.2): the library alone misses these; semanticsRules must not. */
export const caseCases: StorableCase[] = [
  { name: 'NO-STORE in capitals, among other directives', headers: { 'cache-control': 'max-age=60, NO-STORE' }, storable: false },
  { name: 'PRIVATE in capitals: one user\'s page, never shared', headers: { 'cache-control': 'max-age=60, PRIVATE' }, storable: false },
];
export const caseFreshnessCases: FreshnessCase[] = [
  { name: 'directive names in any case: Max-Age=60', headers: { 'cache-control': 'Max-Age=60' }, seconds: 60 },
  { name: 'S-MAXAGE=30 over max-age=600', headers: { 'cache-control': 'max-age=600, S-MAXAGE=30' }, seconds: 30 },
];

export const core = <C extends { deep?: boolean }>(cases: C[]) => cases.filter((c) => !c.deep);
export const deep = <C extends { deep?: boolean }>(cases: C[]) => cases.filter((c) => c.deep);
