import { describe, expect, it } from 'vitest';
import { answer, notModifiedFor } from '@kata/07-web-caching/conditional.js';
import { storedOf } from './store-helpers.js';

const LM = 'Thu, 01 Jan 2026 00:00:00 GMT';
const matches = (request: Record<string, string>, stored: Record<string, string>) => notModifiedFor(new Headers(request), new Headers(stored));

describe('notModifiedFor: the corners of RFC 9110 §13', () => {
  it('compares entity tags weakly: W/"v1" matches "v1", and a list matches when any member does', () => {
    expect(matches({ 'if-none-match': 'W/"v1"' }, { etag: '"v1"' })).toBe(true);
    expect(matches({ 'if-none-match': '"a", "v1"' }, { etag: 'W/"v1"' })).toBe(true);
    expect(matches({ 'if-none-match': '"v2"' }, { etag: '"v1"' })).toBe(false);
  });

  it('matches If-None-Match: * against any stored ETag, and nothing against a response without one', () => {
    expect(matches({ 'if-none-match': '*' }, { etag: '"v1"' })).toBe(true);
    expect(matches({ 'if-none-match': '*' }, { 'last-modified': LM })).toBe(false);
  });

  it('lets If-None-Match win over If-Modified-Since: a stored page without an ETag matches no If-None-Match', () => {
    expect(matches({ 'if-none-match': '"v1"', 'if-modified-since': LM }, { 'last-modified': LM })).toBe(false);
  });

  it('answers 304 to an If-Modified-Since equal to the stored Last-Modified (not modified since that very second), not to an earlier one', () => {
    expect(matches({ 'if-modified-since': LM }, { 'last-modified': LM })).toBe(true);
    expect(matches({ 'if-modified-since': 'Wed, 31 Dec 2025 23:59:59 GMT' }, { 'last-modified': LM })).toBe(false);
  });

  it('reads If-Modified-Since in the obsolete RFC 850 and asctime forms too', () => {
    expect(matches({ 'if-modified-since': 'Thursday, 01-Jan-26 00:00:00 GMT' }, { 'last-modified': LM })).toBe(true);
    expect(matches({ 'if-modified-since': 'Thu Jan  1 00:00:00 2026' }, { 'last-modified': LM })).toBe(true);
  });

  it('ignores an If-Modified-Since or a Last-Modified that is not an HTTP-date (the one parser, not Date.parse)', () => {
    expect(matches({ 'if-modified-since': 'Thu, 01 Jan 2099 00:00:00 UTC' }, { 'last-modified': LM })).toBe(false);
    expect(matches({ 'if-modified-since': LM }, { 'last-modified': '1 Jan 2000' })).toBe(false);
    expect(matches({}, { 'last-modified': LM })).toBe(false);
  });
});

describe('answer: the corners', () => {
  it('sends on a 304 the fields of the 200 it stands for (Cache-Control, ETag, Expires, Last-Modified, Vary, Content-Location, Date), not its Content-Type', () => {
    const fields = { 'cache-control': 'max-age=60', etag: '"v1"', expires: LM, 'last-modified': LM, vary: 'accept', 'content-location': '/doc', date: LM, 'content-type': 'text/html' };
    const response = answer(storedOf(fields), new Request('http://localhost/', { headers: { 'if-none-match': '"v1"' } }), 5);
    expect(response.status).toBe(304);
    for (const name of ['cache-control', 'etag', 'expires', 'last-modified', 'vary', 'content-location', 'date']) {
      expect(response.headers.get(name), name).toBe(fields[name as keyof typeof fields]);
    }
    expect(response.headers.get('content-type')).toBeNull();
    expect(response.headers.get('age')).toBe('5');
  });

  it('keeps a 204 and an empty 200 (the source\'s `if cached:` takes an empty body for a miss)', async () => {
    expect(answer(storedOf({}, { status: 204, body: '' }), new Request('http://localhost/'), 0).status).toBe(204);
    const empty = answer(storedOf({}, { body: '' }), new Request('http://localhost/'), 0);
    expect(empty.status).toBe(200);
    expect(await empty.text()).toBe('');
  });

  it('returns a binary body byte for byte', async () => {
    const stored = { ...storedOf(), body: new Uint8Array([0, 255, 128, 10, 13]) };
    expect([...new Uint8Array(await answer(stored, new Request('http://localhost/'), 0).arrayBuffer())]).toEqual([0, 255, 128, 10, 13]);
  });
});


describe('notModifiedFor: only a leading W/ marks a weak tag', () => {
  it('keeps a W/ inside an entity tag as part of it ("aW/b" is not "ab")', () => {
    expect(matches({ 'if-none-match': '"ab"' }, { etag: '"aW/b"' })).toBe(false);
    expect(matches({ 'if-none-match': '"aW/b"' }, { etag: '"aW/b"' })).toBe(true);
  });
});
