/**
 * Exercise 8 of 12: a client's conditional request, answered from the cache
 * (RFC 9111 §4.3.2, RFC 9110 §13.2): a browser that holds a copy asks "changed
 * since?", and a fresh entry that matches answers 304 without a body.
 *
 * The source answers every hit with the whole body, as a 200 in
 * application/json. Run `npm run lesson 7 conditional`.
 */
// Given: HTTP-dates read as RFC 9110 writes them, and the stored form of a response.
import { parseHttpDate } from '../../provided/http-date.js';
import type { StoredResponse } from '../../provided/stored-response.js';

/** The stored response as this request gets it, with its Age: a 304 when the request's own validators match. */
export function answer(stored: StoredResponse, request: Request, age: number): Response {
  void [request, age];
  return new Response(stored.body, { headers: { 'content-type': 'application/json' } }); // return Response(content=cached, media_type="application/json")
}

/** If-None-Match, weakly compared, wins over If-Modified-Since (RFC 9110 §13.2.2). */
export function notModifiedFor(request: Headers, stored: Headers): boolean {
  void [request, stored, parseHttpDate];
  return false;
}
