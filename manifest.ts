/**
 * The one list of lessons. The runner, `npm run progress`, `npm run hint`,
 * the lesson table in README.md, `npm test` and CI all read it; nothing about
 * a lesson is written down twice.
 *
 * For every file in `files` there is a starter in lessons/<slug>/, a reference
 * in solutions/<slug>/, and a spec test/<slug>/<name>.spec.ts that must fail on
 * the starter and pass on the solution.
 */

/** What a lesson's specs talk to. `none`: plain memory; `redis`: ioredis-mock by default, a real server with --redis real; `cluster`: a Redis Cluster as well. */
export type Backend = 'none' | 'redis' | 'cluster';

export interface Lesson {
  /** Its number, as in `npm run lesson 3`. */
  number: number;
  /** Folder name under lessons/, solutions/ and test/. */
  slug: string;
  title: string;
  /** The sections of ../shared/source/caching-redis-and-in-memory.ru.md it mirrors. */
  sections: string[];
  /** The starter files a learner edits, in the order a learner should do them. */
  files: string[];
  backend: Backend;
  /** Progressive hints: the first is a nudge, the last all but gives the answer. */
  hints: string[];
}

export const lessons: Lesson[] = [
  {
    number: 1,
    slug: '01-memoization',
    title: 'Memoization: @cache and @lru_cache in TypeScript',
    sections: ['2.1', '2.2'],
    files: ['cache-key.ts', 'memoize.ts', 'lru-cache.ts', 'lru-memoize.ts'],
    backend: 'none',
    hints: [
      'Start with cache-key.ts: every other exercise needs a key that tells f(1, "2") from f("1", 2). Write each argument with its type in front of it, and give objects their keys in sorted order.',
      'memoize: keep a Map from key to result and test it with `map.has(key)`, never `if (cached)`, or 0, "" and false are recomputed every time. If the result is a promise, store the promise itself and delete it again when it rejects.',
      'LruCache: a JavaScript Map remembers insertion order. On every get that hits, delete the key and set it again, so the first key of `map.keys()` is always the least recently used one to evict.',
      'lruMemoize: build it on your LruCache, count hits and misses in two numbers, and return a function object with `cacheInfo` and `cacheClear` assigned onto it (Object.assign).',
    ],
  },
  // lesson 02 (02-ttl-caches)
  {
    number: 3,
    slug: '03-redis-caching',
    title: 'Redis caching with ioredis: connections, JSON, codecs, lists',
    sections: ['3.1', '3.2', '3.3', '3.4'],
    files: ['connection.ts', 'json-cache.ts', 'codecs.ts', 'read-through.ts', 'list-cache.ts'],
    backend: 'redis',
    hints: [
      'connection.ts first: `new Redis(url, options)` takes everything the README lists (lazyConnect, commandTimeout, maxRetriesPerRequest, retryStrategy); the error listener is `redis.on(\'error\', …)`. For closeRedis, look at `redis.status`: only a \'ready\' client has anyone to say QUIT to.',
      'json-cache.ts: call assertKey and assertTtl before touching Redis, encode with toJson, and write with `redis.set(key, json, \'EX\', ttl)`. In getJson, wrap JSON.parse in try/catch: bytes that are not JSON are a miss, and UNLINK them.',
      'codecs.ts: jsonCodec.encode is `Buffer.from(superjson.stringify(value))`; decode JSON.parses first, checks the object has only `json`/`meta` keys, then `superjson.deserialize`. msgpackCodec is `new Packr({ structuredClone: true })` with pack/unpack. Every decoding failure becomes `new CodecError(name, message, { cause })`; a function anywhere in the value is a TypeError.',
      'read-through.ts: three try/catch blocks. getBuffer fails: onError, return loader() without writing. decode fails: onError, unlink (catching its error too), then load as on a miss. set fails: onError, return the value anyway. Encode outside any try: an unstorable value is the caller\'s bug.',
      'list-cache.ts: `redis.multi().del(key).rpush(key, LIST_MARKER, ...jsonItems).expire(key, ttl).exec()`, and check each [error, result] pair. To read: `multi().llen(key).lindex(key, 0).lrange(key, offset + 1, limit === Infinity ? -1 : offset + limit)`; length 0 is a miss, total is length - 1.',
    ],
  },
  // lesson 04 (04-caching-patterns)
  // lesson 05 (05-invalidation)
];

export function findLesson(numberOrSlug: string | number): Lesson | undefined {
  const wanted = String(numberOrSlug).trim();
  return lessons.find(
    (l) => String(l.number) === wanted.replace(/^0+(?=\d)/, '') || l.slug === wanted,
  );
}

/** The spec that belongs to a starter file: lessons/<slug>/lru-cache.ts is checked by test/<slug>/lru-cache.spec.ts. */
export function specFor(lesson: Lesson, file: string): string {
  return `test/${lesson.slug}/${file.replace(/\.ts$/, '.spec.ts')}`;
}
