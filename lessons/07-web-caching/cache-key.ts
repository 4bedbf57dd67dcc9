/**
 * Exercise 4 of 12: where a response lives (RFC 9111 §2 and §4.1): the key of
 * a URL, and which variant of it a request asks for when the response says Vary.
 *
 * Below is the source's key: md5(path + query). Run `npm run lesson 7 cache-key`.
 */
import { createHash } from 'node:crypto';
import { todo } from '../../provided/todo.js';

export interface CacheKeyOptions {
  /** Sort the query's parameters by name (stably) into one key. Opt-in: wrong for signed URLs. */
  sortQuery?: boolean;
}

/** The primary key of a URL: GET, its origin, path and query, hashed (SHA-256) under a prefix. HEAD shares GET's key. */
export function cacheKey(prefix: string, url: string, options: CacheKeyOptions = {}): string {
  void options;
  const { pathname, search } = new URL(url);
  return prefix + createHash('md5').update(`${pathname}${search}`).digest('hex'); // the source's key
}

/** The request headers a response varies on, lower-cased, sorted, without repeats; '*' for Vary: *. */
export function varyNames(headers: Headers): string[] | '*' {
  void headers;
  return todo('07-web-caching', 'varyNames');
}

/** Which variant of a URL a request asks for: the values of the varied headers, normalised, hashed. */
export function variantKey(names: readonly string[], request: Headers): string {
  void request;
  return todo('07-web-caching', `variantKey([${names.join(', ')}])`);
}
