/**
 * Exercise 12 of 12: the library way. http-cache-semantics (what got,
 * make-fetch-happen and cacheable-request use) answers the middleware's two
 * questions; pass `rules: semanticsRules` to httpCache() and nothing else changes.
 *
 * Its API: new CachePolicy(request, response, options), where request and
 * response are plain objects with lower-case header names, then .storable()
 * and .maxAge(). Read the README for what it decides that ours does not.
 */
import CachePolicy from 'http-cache-semantics';
import { todo } from '../../provided/todo.js';
// Given: the earlier steps' rules and keys (yours may differ; these are the reference's).
import { parseCacheControl, varyNames, type CacheRules, type FreshnessOptions } from '../../provided/http-cache-parts.js';
import { parseHttpDate } from '../../provided/http-date.js';

void [CachePolicy, parseCacheControl, varyNames, parseHttpDate];

export const semanticsRules: CacheRules = {
  isStorable(request, response) {
    return todo('07-web-caching', `semanticsRules.isStorable(${request.method}, ${response.status})`);
  },
  freshnessLifetime(response, options: FreshnessOptions = {}) {
    void options;
    return todo('07-web-caching', `semanticsRules.freshnessLifetime(${response.status})`);
  },
};
