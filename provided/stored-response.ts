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

/** Fields that describe one connection, not the response (RFC 9110 §7.6.1), and the cookie no one else may get. */
const NOT_STORED = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'te', 'transfer-encoding', 'upgrade',
  'proxy-authenticate', 'proxy-authorization', 'trailer', 'set-cookie', 'age', 'x-cache',
]);

/** The header fields worth storing: none of the above, nor any field that Connection names. */
export function storedHeaders(headers: Headers): Array<[string, string]> {
  // Stryker disable next-line StringLiteral: equivalent, no header field can be named like any stand-in for "" (names have no spaces)
  const named = (headers.get('connection') ?? '').split(',').map((n) => n.trim().toLowerCase());
  return [...headers].filter(([name]) => !NOT_STORED.has(name) && !named.includes(name));
}

/** Layout: 4 bytes of metadata length, the metadata as JSON, then the body as it is. */
export function encodeStored(stored: StoredResponse): Buffer {
  const { body, ...meta } = stored;
  const head = Buffer.from(JSON.stringify(meta));
  const bytes = Buffer.allocUnsafe(4 + head.length + body.byteLength);
  bytes.writeUInt32BE(head.length, 0);
  head.copy(bytes, 4);
  bytes.set(body, 4 + head.length);
  return bytes;
}

/** The stored response, or a StoredResponseError for bytes encodeStored did not write. */
export function decodeStored(bytes: Buffer): StoredResponse {
  // Stryker disable next-line UnaryOperator: equivalent, a length of 1 in fewer than 4 bytes is too short all the same
  const length = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  if (length < 0 || 4 + length > bytes.length) throw new StoredResponseError('not a stored response (too short)');
  let meta: Omit<StoredResponse, 'body'>;
  try {
    meta = JSON.parse(bytes.subarray(4, 4 + length).toString('utf8')) as typeof meta;
  } catch (error) {
    throw new StoredResponseError('not a stored response (its metadata is not JSON)', { cause: error });
  }
  const ok =
    // Stryker disable next-line ConditionalExpression: equivalent, a number, string or boolean has no integer status and is refused below
    typeof meta === 'object' && meta !== null &&
    Number.isInteger(meta.status) && meta.status >= 200 && meta.status <= 599 &&
    [meta.responseTime, meta.initialAge, meta.freshness].every(Number.isFinite) &&
    Array.isArray(meta.headers) &&
    meta.headers.every((h) => Array.isArray(h) && h.length === 2 && h.every((s) => typeof s === 'string'));
  if (!ok) throw new StoredResponseError('not a stored response (its metadata has the wrong shape)');
  return { ...meta, body: bytes.subarray(4 + length) };
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
