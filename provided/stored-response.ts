/**
 * Lesson 07's plumbing, given so that the exercise is the cache's decisions:
 * a response as a shared cache keeps it, turned into bytes for Redis and back,
 * and a body reader that stops at a size limit without losing a byte.
 */

/** What a shared cache keeps of a response: everything a client needs to get it again. */
export interface StoredResponse {
  status: number;
  /** Without hop-by-hop fields and Set-Cookie (see storedHeaders); repeated fields as repeated pairs. */
  headers: Array<[name: string, value: string]>;
  /** The body, byte for byte (binary-safe: images, gzip, anything). */
  body: Uint8Array;
  /** When the response arrived (ms since the epoch): the start of its resident time. */
  responseTime: number;
  /** How old it already was then, in seconds (RFC 9111 §4.2.3, corrected_initial_age). */
  initialAge: number;
  /** How long it is fresh, in seconds, counted in age. */
  freshness: number;
}

/** Bytes Redis gave back that this codec did not write: garbage, a truncated write, another program's value. */
export class StoredResponseError extends Error {
  override name = 'StoredResponseError';
}

/**
 * Fields a cache does not store (RFC 9111 §3.1): those that describe one connection (RFC 9110 §7.6.1),
 * the proxy authentication fields, the cookie no one else may get, and what the cache itself adds.
 */
const NOT_STORED = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'te', 'transfer-encoding', 'upgrade', 'trailer',
  'proxy-authenticate', 'proxy-authentication-info', 'proxy-authorization', 'set-cookie', 'age', 'x-cache',
]);

/** The header fields worth storing: none of the above, nor any field that Connection names. */
export function storedHeaders(headers: Headers): Array<[string, string]> {
  const named = (headers.get('connection') ?? '').split(',').map((n) => n.trim().toLowerCase());
  return [...headers].filter(([name]) => !NOT_STORED.has(name) && !named.includes(name));
}

/**
 * Layout: 4 bytes of metadata length, the metadata as JSON, then the body as it is.
 * What JSON would not give back exactly (NaN, -0, a status out of range, a header
 * that fetch refuses) is a TypeError here, at write time, never a different
 * response at read time.
 */
export function encodeStored(stored: StoredResponse): Buffer {
  const { body, ...meta } = stored;
  if (!(body instanceof Uint8Array)) throw new TypeError('encodeStored: body must be a Uint8Array');
  const problem = shapeProblem(meta);
  if (problem !== undefined) throw new TypeError(`encodeStored: ${problem}`);
  const head = Buffer.from(JSON.stringify(meta));
  const bytes = Buffer.allocUnsafe(4 + head.length + body.byteLength);
  bytes.writeUInt32BE(head.length, 0);
  head.copy(bytes, 4);
  bytes.set(body, 4 + head.length);
  return bytes;
}

/** The stored response, or a StoredResponseError for bytes encodeStored did not write. */
export function decodeStored(bytes: Buffer): StoredResponse {
  const length = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  if (length < 0 || 4 + length > bytes.length) throw new StoredResponseError('not a stored response (too short)');
  let meta: Omit<StoredResponse, 'body'>;
  try {
    meta = JSON.parse(bytes.subarray(4, 4 + length).toString('utf8')) as typeof meta;
  } catch (error) {
    throw new StoredResponseError('not a stored response (its metadata is not JSON)', { cause: error });
  }
  const problem = shapeProblem(meta);
  if (problem !== undefined) throw new StoredResponseError('not a stored response (its metadata has the wrong shape)');
  return { ...meta, body: bytes.subarray(4 + length) };
}

/** A field name fetch accepts (an RFC 9110 token) and a value it accepts (bytes: no NUL, CR, LF, nor a character past U+00FF). */
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[^\0\r\n\u0100-\uffff]*$/;

/** What is wrong with a response's metadata, or undefined: the one check for writing and reading. */
function shapeProblem(meta: unknown): string | undefined {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return 'its metadata is not an object';
  const { status, headers, responseTime, initialAge, freshness } = meta as Partial<StoredResponse>;
  if (!Number.isInteger(status) || status! < 200 || status! > 599) return 'status must be a whole number from 200 to 599';
  for (const [name, value] of [['responseTime', responseTime], ['initialAge', initialAge], ['freshness', freshness]] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value) || Object.is(value, -0)) return `${name} must be a finite number (not -0)`;
  }
  const fields = Array.isArray(headers) && headers.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && FIELD_NAME.test(h[0]) && typeof h[1] === 'string' && FIELD_VALUE.test(h[1]));
  return fields ? undefined : 'headers must be a list of [name, value] fields fetch accepts';
}

export type ReadBody =
  /** The whole body, at most `limit` bytes. */
  | { complete: true; bytes: Uint8Array }
  /** Over the limit: a stream of the whole body, the bytes already read first. Nothing was buffered past the limit. */
  | { complete: false; stream: ReadableStream<Uint8Array> };

/**
 * Reads a body up to `limit` bytes. A larger one is not read further: what was
 * read is handed back in front of the rest, so the client still gets every
 * byte, streamed, and the memory used stays about `limit`.
 */
export async function readBody(body: ReadableStream<Uint8Array> | null, limit: number): Promise<ReadBody> {
  if (body === null) return { complete: true, bytes: new Uint8Array(0) };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { complete: true, bytes: Buffer.concat(chunks, size) };
    chunks.push(value);
    size += value.byteLength;
    if (size > limit) break;
  }
  const stream = new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      const chunk = chunks.shift();
      if (chunk !== undefined) return controller.enqueue(chunk);
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { complete: false, stream };
}

/** A response read for storing, or, when it may not be read whole, the response to send on instead. */
export type Captured =
  /** Read whole: what a StoredResponse keeps of it, and a response with the same bytes to send on. */
  | { complete: true; status: number; headers: Array<[string, string]>; body: Uint8Array; response: Response }
  /** Over `limit` (by its Content-Length, or as read): every byte streamed on, nothing to store. */
  | { complete: false; response: Response };

/**
 * Reads a handler's response for the cache: status, the headers worth storing
 * and the body as bytes (binary-safe), up to `limit` bytes. A Content-Length
 * over the limit is not even read.
 */
export async function captureResponse(response: Response, limit: number): Promise<Captured> {
  if (Number(response.headers.get('content-length')) > limit) return { complete: false, response };
  const body = await readBody(response.body, limit);
  if (!body.complete) return { complete: false, response: new Response(body.stream, response) };
  const bytes = body.bytes.byteLength > 0 ? body.bytes : null; // a 204 may not have even an empty body
  return { complete: true, status: response.status, headers: storedHeaders(response.headers), body: body.bytes, response: new Response(bytes, response) };
}

/** How old a stored response is now, in seconds: its age on arrival plus the time it has been stored (RFC 9111 §4.2.3). */
export function currentAge(stored: StoredResponse, now: number = Date.now()): number {
  return stored.initialAge + Math.max(0, now - stored.responseTime) / 1000;
}
