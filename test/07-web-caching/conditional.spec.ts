import { describe, expect, it } from 'vitest';
import { answer } from '@kata/07-web-caching/conditional.js';
import { storedOf } from './store-helpers.js';

describe('answer: the stored response as a request gets it', () => {
  it('sends the status, the stored fields and the body, with Age in whole seconds', async () => {
    const response = answer(storedOf({ 'content-type': 'text/html' }, { status: 404, body: 'gone' }), new Request('http://localhost/'), 12.7);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(response.headers.get('age')).toBe('12');
    expect(await response.text()).toBe('gone');
  });

  it('answers a HEAD with the headers and no body', async () => {
    const response = answer(storedOf(), new Request('http://localhost/', { method: 'HEAD' }), 0);
    expect(await response.text()).toBe('');
  });

  it('answers a client\'s matching If-None-Match with a 304 and no body (§4.3.2)', async () => {
    const response = answer(storedOf({ etag: '"v1"' }), new Request('http://localhost/', { headers: { 'if-none-match': '"v1"' } }), 0);
    expect(response.status).toBe(304);
    expect(await response.text()).toBe('');
  });

  it('answers a client\'s If-Modified-Since with a 304 when nothing changed since', () => {
    const stored = storedOf({ 'last-modified': 'Thu, 01 Jan 2026 00:00:00 GMT' });
    const request = new Request('http://localhost/', { headers: { 'if-modified-since': 'Fri, 02 Jan 2026 00:00:00 GMT' } });
    expect(answer(stored, request, 0).status).toBe(304);
  });
});
