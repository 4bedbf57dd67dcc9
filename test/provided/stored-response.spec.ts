import { describe, expect, it } from 'vitest';
import {
  captureResponse,
  currentAge,
  decodeStored,
  encodeStored,
  readBody,
  storedHeaders,
  StoredResponseError,
  type StoredResponse,
} from '../../provided/stored-response.js';

const stored: StoredResponse = {
  status: 200,
  headers: [['content-type', 'image/png'], ['vary', 'accept'], ['vary', 'cookie']],
  body: new Uint8Array([0, 255, 1, 254, 10, 13]),
  responseTime: 1_700_000_000_000,
  initialAge: 3,
  freshness: 60,
};

/** Bytes with a metadata header as encodeStored writes it, around any metadata. */
function withMeta(meta: unknown, body = new Uint8Array(0)): Buffer {
  const head = Buffer.from(JSON.stringify(meta));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(head.length, 0);
  return Buffer.concat([length, head, body]);
}

function decodeError(bytes: Buffer): StoredResponseError {
  try {
    decodeStored(bytes);
  } catch (error) {
    return error as StoredResponseError;
  }
  throw new Error('decodeStored accepted bytes it should refuse');
}

describe('storedHeaders', () => {
  it('keeps the end-to-end fields, repeated ones as repeated pairs', () => {
    const headers = new Headers([['content-type', 'text/html'], ['cache-control', 'max-age=60']]);
    headers.append('x-custom', 'a');
    expect(storedHeaders(headers)).toEqual([['cache-control', 'max-age=60'], ['content-type', 'text/html'], ['x-custom', 'a']]);
  });

  it('drops the hop-by-hop fields, Set-Cookie, Age and X-Cache', () => {
    const dropped = ['connection', 'keep-alive', 'proxy-connection', 'te', 'transfer-encoding', 'upgrade',
      'proxy-authenticate', 'proxy-authorization', 'trailer', 'set-cookie', 'age', 'x-cache'];
    const headers = new Headers(dropped.map((name) => [name, 'x']));
    headers.set('etag', '"1"');
    expect(storedHeaders(headers)).toEqual([['etag', '"1"']]);
  });

  it('drops every field the Connection header names, whatever its case and spacing', () => {
    const headers = new Headers({ connection: 'X-Trace ,  x-hop', 'x-trace': '1', 'x-hop': '2', 'x-kept': '3' });
    expect(storedHeaders(headers)).toEqual([['x-kept', '3']]);
  });
});

describe('encodeStored / decodeStored', () => {
  it('gives back the response it stored, body byte for byte', () => {
    const decoded = decodeStored(encodeStored(stored));
    expect(decoded).toEqual({ ...stored, body: Buffer.from(stored.body) });
    expect([...decoded.body]).toEqual([...stored.body]);
  });

  it('accepts the first and the last status it stores, 200 and 599, and an empty body', () => {
    for (const status of [200, 599]) {
      const decoded = decodeStored(encodeStored({ ...stored, status, body: new Uint8Array(0) }));
      expect(decoded.status).toBe(status);
      expect(decoded.body.byteLength).toBe(0);
    }
  });

  it('refuses bytes too short to hold the length, or shorter than the length says', () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from([0, 0, 1]), Buffer.from([0, 0, 0, 9, 123])]) {
      const error = decodeError(bytes);
      expect(error).toBeInstanceOf(StoredResponseError);
      expect(error.message).toBe('not a stored response (too short)');
    }
  });

  it('reads a length of 0 from four zero bytes, and then finds no JSON', () => {
    expect(decodeError(Buffer.alloc(4)).message).toBe('not a stored response (its metadata is not JSON)');
  });

  it('refuses metadata that is not JSON, keeping the parser\'s error as its cause', () => {
    const bytes = Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from('{x}')]);
    const error = decodeError(bytes);
    expect(error.message).toBe('not a stored response (its metadata is not JSON)');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('refuses metadata of the wrong shape', () => {
    const { body: _body, ...meta } = stored;
    const wrong: unknown[] = [
      null,
      42,
      { ...meta, status: 199 },
      { ...meta, status: 600 },
      { ...meta, status: 200.5 },
      { ...meta, status: '200' },
      { ...meta, responseTime: null },
      { ...meta, initialAge: 'old' },
      { ...meta, freshness: undefined },
      { ...meta, headers: 'content-type: text/html' },
      { ...meta, headers: [['content-type']] },
      { ...meta, headers: [['content-type', 'text/html', 'extra']] },
      { ...meta, headers: ['content-type'] },
      { ...meta, headers: [['content-type', 1]] },
      { ...meta, headers: [[1, 'text/html']] },
      { ...meta, headers: [['content-type', 'text/html'], ['vary']] }, // every pair, not only the first
    ];
    for (const value of wrong) {
      const error = decodeError(withMeta(value));
      expect(error, JSON.stringify(value)).toBeInstanceOf(StoredResponseError);
      expect(error.message).toBe('not a stored response (its metadata has the wrong shape)');
    }
  });

  it('names its error, so that a log tells it from any other', () => {
    expect(decodeError(Buffer.alloc(0)).name).toBe('StoredResponseError');
  });
});

/** A stream of the given chunks; `cancelled` records the reason it was cancelled with. */
function streamOf(chunks: number[][]) {
  const state: { cancelled?: unknown; pulls: number } = { pulls: 0 };
  const queue = chunks.map((c) => new Uint8Array(c));
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulls++;
      const next = queue.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
    cancel(reason) {
      state.cancelled = reason;
    },
  }, { highWaterMark: 0 });
  return { stream, state };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<number[]> {
  const bytes: number[] = [];
  for await (const chunk of stream) bytes.push(...chunk);
  return bytes;
}

describe('readBody', () => {
  it('reads no body as an empty one', async () => {
    const result = await readBody(null, 10);
    expect(result).toEqual({ complete: true, bytes: new Uint8Array(0) });
  });

  it('reads a body up to the limit whole, the limit included', async () => {
    const result = await readBody(streamOf([[1, 2], [3, 4, 5]]).stream, 5);
    expect(result.complete).toBe(true);
    expect(result.complete && [...result.bytes]).toEqual([1, 2, 3, 4, 5]);
  });

  it('stops at the first chunk past the limit, and streams every byte, the ones read first in front', async () => {
    const { stream, state } = streamOf([[1, 2], [3, 4], [5, 6], [7]]);
    const result = await readBody(stream, 3);
    expect(result.complete).toBe(false);
    expect(state.pulls).toBe(2); // nothing read past the chunk that crossed the limit
    if (result.complete) return;
    expect(await readAll(result.stream)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('passes a cancel on to the body it was reading', async () => {
    const { stream, state } = streamOf([[1, 2, 3], [4]]);
    const result = await readBody(stream, 1);
    if (result.complete) throw new Error('expected a stream');
    await result.stream.cancel('client went away');
    expect(state.cancelled).toBe('client went away');
  });
});

describe('encodeStored refuses at write time what it could not give back exactly', () => {
  const { body: _body, ...meta } = stored;
  it.each([
    ['a NaN freshness (JSON writes null)', { ...stored, freshness: Number.NaN }, 'freshness'],
    ['an Infinity initialAge (JSON writes null)', { ...stored, initialAge: Number.POSITIVE_INFINITY }, 'initialAge'],
    ['a -0 responseTime (JSON writes 0)', { ...stored, responseTime: -0 }, 'responseTime'],
    ['a status of 100 (never read back)', { ...stored, status: 100 }, 'status'],
    ['a header fetch refuses (a space in its name)', { ...stored, headers: [['bad name', 'x']] }, 'headers'],
    ['a body that is not bytes', { ...stored, body: 'text' as unknown as Uint8Array }, 'body'],
  ])('%s: a TypeError naming the field', (_, value, field) => {
    expect(() => encodeStored(value as typeof stored)).toThrow(TypeError);
    expect(() => encodeStored(value as typeof stored)).toThrow(field);
  });

  it('reads as foreign (StoredResponseError) a header pair fetch refuses, instead of failing later in new Headers()', () => {
    const error = decodeError(withMeta({ ...meta, headers: [['bad name', 'x']] }));
    expect(error).toBeInstanceOf(StoredResponseError);
  });

  it('refuses metadata that is a list, not an object', () => {
    expect(decodeError(withMeta([1, 2]))).toBeInstanceOf(StoredResponseError);
  });
});

describe('captureResponse: a handler\'s response read for the cache', () => {
  it('reads status, the fields worth storing and the body as bytes, and hands on a response with the same bytes', async () => {
    const captured = await captureResponse(new Response('hello', { status: 404, headers: { 'content-type': 'text/plain', connection: 'close' } }), 100);
    if (!captured.complete) expect.fail('a 5-byte body under a 100-byte limit is read whole');
    expect(captured.status).toBe(404);
    expect(captured.headers).toEqual([['content-type', 'text/plain']]);
    expect(new TextDecoder().decode(captured.body)).toBe('hello');
    expect(captured.response.status).toBe(404);
    expect(await captured.response.text()).toBe('hello');
  });

  it('does not read a body whose Content-Length is over the limit: the response goes on as it was', async () => {
    const response = new Response('x'.repeat(200), { headers: { 'content-length': '200' } });
    const captured = await captureResponse(response, 100);
    expect(captured.complete).toBe(false);
    expect(captured.response).toBe(response);
    expect(response.bodyUsed).toBe(false);
  });

  it('streams every byte of a body that turns out longer than the limit', async () => {
    const captured = await captureResponse(new Response('y'.repeat(300)), 100);
    expect(captured.complete).toBe(false);
    expect(await captured.response.text()).toBe('y'.repeat(300));
  });

  it('hands on a 204 with no body at all (a null-body status refuses even an empty one)', async () => {
    const captured = await captureResponse(new Response(null, { status: 204 }), 100);
    expect(captured.complete).toBe(true);
    expect(captured.response.status).toBe(204);
  });
});

describe('currentAge (RFC 9111 §4.2.3)', () => {
  it('is the age on arrival plus the seconds stored since', () => {
    expect(currentAge({ ...stored, initialAge: 5, responseTime: 1_000 }, 11_000)).toBe(15);
  });

  it('never goes below the age on arrival when the clock steps back', () => {
    expect(currentAge({ ...stored, initialAge: 5, responseTime: 11_000 }, 1_000)).toBe(5);
  });

  it('uses the clock when no now is given', () => {
    expect(currentAge({ ...stored, initialAge: 0, responseTime: Date.now() - 2_000 })).toBeGreaterThanOrEqual(2);
  });
});

describe('storedHeaders: the proxy authentication fields (RFC 9111 §3.1)', () => {
  it('drops Proxy-Authenticate, Proxy-Authentication-Info and Proxy-Authorization', () => {
    const headers = new Headers({ 'proxy-authenticate': 'Basic', 'proxy-authentication-info': 'nextnonce="x"', 'proxy-authorization': 'Basic eA==', 'x-kept': '1' });
    expect(storedHeaders(headers)).toEqual([['x-kept', '1']]);
  });
});

describe('encodeStored / decodeStored: header fields as fetch takes them', () => {
  it.each([
    ['a name that is not a token', [['x y', '1']]],
    ['a value with a line break (a header injection)', [['x', 'a\r\nset-cookie: a=1']]],
    ['a value with NUL', [['x', 'a\u0000b']]],
    ['a value past U+00FF (fetch takes bytes only)', [['x', 'a\u0100']]],
  ])('refuses %s at write time, and reads it as foreign', (_, headers) => {
    const value = { ...stored, headers: headers as Array<[string, string]> };
    expect(() => encodeStored(value)).toThrow(TypeError);
    const { body: _body, ...meta } = value;
    expect(decodeError(withMeta(meta))).toBeInstanceOf(StoredResponseError);
  });

  it('keeps a Latin-1 value and a tab inside a value, as fetch does', () => {
    const value = { ...stored, headers: [['x', 'caf\u00e9\tok']] as Array<[string, string]> };
    expect(decodeStored(encodeStored(value)).headers).toEqual([['x', 'caf\u00e9\tok']]);
  });
});
