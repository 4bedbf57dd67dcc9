/**
 * The one list of lessons. The runner, `npm run progress`, `npm run hint`,
 * the lesson table in README.md, `npm test` and CI all read it; nothing about
 * a lesson is written down twice.
 *
 * For every exercise there is a starter in lessons/<slug>/, a reference
 * in solutions/<slug>/, and a spec test/<slug>/<name>.spec.ts that must fail on
 * the starter and pass on the solution.
 */

/** What a lesson's specs talk to. `none`: plain memory; `redis`: ioredis-mock by default, a real server with --redis real; `cluster`: a Redis Cluster as well. */
export type Backend = 'none' | 'redis' | 'cluster';

/** One exercise: a starter file the learner edits, its spec, its time and its hints. */
export interface Exercise {
  /** The starter, lessons/<slug>/<file>; its reference is solutions/<slug>/<file>, its spec test/<slug>/<name>.spec.ts. */
  file: string;
  /** Minutes a mid-level developer needs for it, its part of the README included. */
  minutes: number;
  /** Graded hints: the first a nudge, the last all but the answer. */
  hints: string[];
}

export interface LessonEntry {
  /** Its number, as in `npm run lesson 3`. */
  number: number;
  /** Folder name under lessons/, solutions/ and test/. */
  slug: string;
  title: string;
  /** The sections of ../shared/source/caching-redis-and-in-memory.ru.md it mirrors; empty for a lesson beyond the source. */
  sections: string[];
  backend: Backend;
  /** In the order a learner should do them. */
  exercises: Exercise[];
}

/** A lesson as the tools read it: its entry, plus the starter files in exercise order. */
export interface Lesson extends LessonEntry {
  files: string[];
}

function withFiles(entries: LessonEntry[]): Lesson[] {
  return entries.map((entry) => ({ ...entry, files: entry.exercises.map((e) => e.file) }));
}

export const lessons: Lesson[] = withFiles([
  {
    number: 1,
    slug: '01-memoization',
    title: 'Memoization: @cache and @lru_cache in TypeScript',
    sections: ['2.1', '2.2'],
    backend: 'none',
    exercises: [
      {
        file: 'cache-key.ts',
        minutes: 8,
        hints: [
          'Start with cache-key.ts: every other exercise needs a key that tells f(1, "2") from f("1", 2). Write each argument with its type in front of it, and give objects their keys in sorted order.',
        ],
      },
      {
        file: 'memoize.ts',
        minutes: 10,
        hints: [
          'memoize: keep a Map from key to result and test it with `map.has(key)`, never `if (cached)`, or 0, "" and false are recomputed every time. If the result is a promise, store the promise itself and delete it again when it rejects.',
        ],
      },
      {
        file: 'lru-cache.ts',
        minutes: 15,
        hints: [
          'LruCache: two structures. A Map from key to a node { key, value, newer, older }, and a doubly linked list of those nodes with the newest at one end and the oldest (the next to evict) at the other. A hit unlinks its node and links it again at the newest end.',
          'LruCache, the pointers: keep #newest and #oldest. To unlink a node, point its older neighbour at its newer one and back (or move #oldest / #newest when it was an end). To link a node as newest, its older is the old #newest. Evict #oldest before adding a new key when size === max, and call onEvict.',
        ],
      },
      {
        file: 'lru-memoize.ts',
        minutes: 7,
        hints: [
          'lruMemoize: build it on your LruCache, count hits and misses in two numbers, and return a function object with `cacheInfo` and `cacheClear` assigned onto it (Object.assign).',
        ],
      },
    ],
  },
  {
    number: 2,
    slug: '02-ttl-caches',
    title: 'TTL caches: cached_with_ttl, cachetools TTLCache and lru-cache',
    sections: ['2.3', '2.4'],
    backend: 'none',
    exercises: [
      {
        file: 'ttl-cache.ts',
        minutes: 12,
        hints: [
          'TtlCache: do not write a second LRU. Keep an LruCache<K, { value, expiresAt }> from provided/lru-cache.ts; expiresAt is now() + ttlMs at set(). An entry is expired when expiresAt <= now().',
          'get(): peek() the entry first, so that an expired one is deleted without being counted as a use; only a live hit calls the LRU\'s get(). In set(), walk keys() from the least recently used end and delete while the entry there has expired: stop at the first live one.',
        ],
      },
      {
        file: 'ttl-memoize.ts',
        minutes: 8,
        hints: [
          'ttlMemoize: one TtlCache<string, Result> per call of ttlMemoize (not at module level), keys from cacheKey(args) in provided/cache-key.ts. Read with a single get() and ask has() only when it returned undefined; a rejected promise is deleted, as in lesson 01\'s memoize.',
        ],
      },
      {
        file: 'jitter.ts',
        minutes: 5,
        hints: [
          'jitter: Math.max(1, Math.round(ttlMs * (1 + spread * (2 * random() - 1)))). library-way: new LRUCache({ max, ttl: ttlMs, perf: { now } }) when a clock is given; maxSize + sizeCalculation: (value, key) => Math.max(1, Buffer.byteLength(key) + Buffer.byteLength(value)); fetchMethod: (key, _stale, { signal }) => load(key, signal) with allowStale: true.',
        ],
      },
      {
        file: 'library-way.ts',
        minutes: 10,
        hints: [
          'jitter: Math.max(1, Math.round(ttlMs * (1 + spread * (2 * random() - 1)))). library-way: new LRUCache({ max, ttl: ttlMs, perf: { now } }) when a clock is given; maxSize + sizeCalculation: (value, key) => Math.max(1, Buffer.byteLength(key) + Buffer.byteLength(value)); fetchMethod: (key, _stale, { signal }) => load(key, signal) with allowStale: true.',
        ],
      },
    ],
  },
  {
    number: 3,
    slug: '03-redis-caching',
    title: 'Redis caching with ioredis: connections, JSON, codecs, lists',
    sections: ['3.1', '3.2', '3.3', '3.4'],
    backend: 'redis',
    exercises: [
      {
        file: 'connection.ts',
        minutes: 10,
        hints: [
          'connection.ts first: `new Redis(url, options)` takes everything the README lists (lazyConnect, commandTimeout, maxRetriesPerRequest, retryStrategy); the error listener is `redis.on(\'error\', …)`. For closeRedis, look at `redis.status`: only a \'ready\' client has anyone to say QUIT to.',
        ],
      },
      {
        file: 'json-cache.ts',
        minutes: 10,
        hints: [
          'json-cache.ts: call assertKey and assertTtl before touching Redis, encode with toJson, and write with `redis.set(key, json, \'EX\', ttl)`. In getJson, wrap JSON.parse in try/catch: bytes that are not JSON are a miss, and UNLINK them.',
        ],
      },
      {
        file: 'codecs.ts',
        minutes: 12,
        hints: [
          'codecs.ts: jsonCodec.encode is `Buffer.from(superjson.stringify(value))`; decode JSON.parses first, checks the object has only `json`/`meta` keys, then `superjson.deserialize`. msgpackCodec is `new Packr({ structuredClone: true })` with pack/unpack. Every decoding failure becomes `new CodecError(name, message, { cause })`; a function anywhere in the value is a TypeError.',
        ],
      },
      {
        file: 'read-through.ts',
        minutes: 12,
        hints: [
          'read-through.ts: three try/catch blocks. getBuffer fails: onError, return loader() without writing. decode fails: onError, unlink (catching its error too), then load as on a miss. set fails: onError, return the value anyway. Encode outside any try: an unstorable value is the caller\'s bug.',
        ],
      },
      {
        file: 'list-cache.ts',
        minutes: 12,
        hints: [
          'list-cache.ts: `redis.multi().del(key).rpush(key, LIST_MARKER, ...jsonItems).expire(key, ttl).exec()`, and check each [error, result] pair. To read: `multi().llen(key).lindex(key, 0).lrange(key, offset + 1, limit === Infinity ? -1 : offset + limit)`; length 0 is a miss, total is length - 1.',
        ],
      },
    ],
  },
  {
    number: 4,
    slug: '04-caching-patterns',
    title: 'Caching patterns over a real database: cache-aside, write-through, invalidate-on-write, write-behind',
    sections: ['4.1', '4.2', '4.3', '4.4', '8.1'],
    backend: 'redis',
    exercises: [
      {
        file: 'cache-aside.ts',
        minutes: 10,
        hints: [
          'Start with getOrLoad in cache-aside.ts and read lesson 03\'s getJson/setJson in provided/json-cache.ts: they already tell a miss from a cached null. What is left is deciding which errors the caller sees. Check the TTL first; then wrap every Redis call in try/catch and fall back to the loader.',
        ],
      },
      {
        file: 'write-through.ts',
        minutes: 10,
        hints: [
          'Write-through and invalidate-on-write: the database first, always. Once the row is committed the call has succeeded, whatever Redis says next: catch the cache\'s errors, report them to onCacheError, and in saveUser delete (unlink) the old copy when SET fails. In updateUser and deleteUser, delete the key instead of setting it.',
        ],
      },
      {
        file: 'invalidate-on-write.ts',
        minutes: 10,
        hints: [
          'Write-through and invalidate-on-write: the database first, always. Once the row is committed the call has succeeded, whatever Redis says next: catch the cache\'s errors, report them to onCacheError, and in saveUser delete (unlink) the old copy when SET fails. In updateUser and deleteUser, delete the key instead of setting it.',
          'The second delete is a setTimeout(() => unlink(key), secondDeleteAfterMs) started after the first delete; call .unref() on it so it never keeps a process alive. Check the option before the database write, not after.',
        ],
      },
      {
        file: 'write-behind.ts',
        minutes: 20,
        hints: [
          'write-behind.ts: keep the queue in Redis as a hash from user id to row JSON (HSET overwrites, which coalesces per user), written in one MULTI with the cache SET. To flush, RENAMENX the hash to a "flushing" key: one atomic move, and new writes start a fresh hash.',
          'flush(): first finish whatever "flushing" hash a dead flusher left (HGETALL), then rename and drain the current one. For each slice of batchSize entries: users.upsertMany(rows), and only after it resolves, HDEL those ids from "flushing". A crash between the two means the batch is written again, which the upsert makes harmless.',
        ],
      },
    ],
  },
  {
    number: 5,
    slug: '05-invalidation',
    title: 'Invalidation: by key, by pattern without KEYS, by TTL with jitter, by tag, by version',
    sections: ['5.1', '5.2', '5.3', '9.1'],
    backend: 'redis',
    exercises: [
      {
        file: 'patterns.ts',
        minutes: 6,
        hints: [
          'Start with patterns.ts: end every pattern at the delimiter (`user:1:*`, not `user:1*`), and put a backslash before each *, ?, [, ] and \\ that comes from input, the prefix included.',
        ],
      },
      {
        file: 'invalidate.ts',
        minutes: 8,
        hints: [
          'invalidatePattern: loop `const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", count)` until next is the string "0" (not the number), UNLINK each page that is not empty, and add up what UNLINK returns, not keys.length: SCAN can repeat a key.',
        ],
      },
      {
        file: 'jitter.ts',
        minutes: 5,
        hints: [
          'jitteredTtl: take a whole number of seconds between 0 and floor(ttl × spread) off the TTL, drawn with random(); setWithJitter is setJson with that TTL.',
        ],
      },
      {
        file: 'tags.ts',
        minutes: 15,
        hints: [
          'TaggedCache: keep each tag\'s keys in a sorted set scored by when they expire. One Lua script (redis.eval) does SET PX, then per tag ZREMRANGEBYSCORE -inf now, ZADD, and PEXPIRE to the highest score minus now; invalidateTag is a second script: ZRANGE 0 -1, UNLINK the members, UNLINK the index.',
        ],
      },
      {
        file: 'version.ts',
        minutes: 8,
        hints: [
          'VersionedCache: the version is `GET ${prefix}version` (null means 0), every key is `${prefix}v${version}:${key}`, and invalidateAll is `INCR ${prefix}version`. Delete nothing: TTLs clear the old version.',
        ],
      },
    ],
  },
  {
    number: 6,
    slug: '06-cluster-sessions',
    title: 'Redis Cluster and sessions: hash slots, what a cluster refuses, failover, sessions you can revoke',
    sections: ['6.1', '6.2'],
    backend: 'cluster',
    exercises: [
      {
        file: 'key-slot.ts',
        minutes: 8,
        hints: [
          'key-slot.ts: turn the key into bytes first (Buffer.from(key) is UTF-8); both the tag rule and the CRC work on bytes. crc16 walks the bytes one at a time and keeps a 16-bit number.',
          'crc16: for each byte, `crc ^= byte << 8`, then 8 times: if bit 0x8000 is set, `(crc << 1) ^ 0x1021`, else `crc << 1`; mask with 0xffff. hashedPart: indexOf(0x7b) for `{`, then indexOf(0x7d, open + 1) for `}`; when either is missing or close === open + 1, hash the whole key, else subarray(open + 1, close). Throw a TypeError for anything that is neither a string nor a Buffer.',
        ],
      },
      {
        file: 'cluster-client.ts',
        minutes: 8,
        hints: [
          'cluster-client.ts: `new Cluster(nodes, options)`. Parse REDIS_CLUSTER_NODES by splitting on commas and each entry on its colon; a blank or missing variable means the 7000-7005 default, a bad entry a RangeError.',
          'The options: scaleReads and natMap passed through; enableOfflineQueue: false (a dead cluster must fail a command at once, not queue it forever); clusterRetryStrategy built on retryDelay from provided/connection.ts; slotsRefreshTimeout of a couple of seconds; and redisOptions { connectTimeout, commandTimeout, maxRetriesPerRequest } for every node. Listen to both \'error\' and \'node error\', warn once until the next \'ready\'.',
        ],
      },
      {
        file: 'cross-slot.ts',
        minutes: 12,
        hints: [
          'cross-slot.ts: entityKey puts the id in braces and checks that nothing before it holds a brace. mgetAcrossSlots and invalidatePatternCluster both need the slot of each key: use your keySlot.',
          'mgetAcrossSlots: group the positions of the keys by slot, then group the slots by `cluster.slots[slot][0]` (the owner\'s address). Per node, one `cluster.pipeline()` with one `mget` per slot; write each answer back at its positions. invalidatePatternCluster: run lesson 05\'s SCAN loop on each of `cluster.nodes(\'master\')`, and UNLINK each page slot by slot.',
        ],
      },
      {
        file: 'sessions.ts',
        minutes: 17,
        hints: [
          'sessions.ts: keep two things per session: the session at `${prefix}session:${hashToken(token)}` (SET with PX, codec bytes), and the user\'s index, a sorted set of token hashes scored by absolute expiry. Look up only well-formed tokens (43 base64url characters), and treat any decoding failure as a miss.',
          'Order matters on a cluster, where the two keys are in different slots: index first, then the session. get(): check both expiries with your clock, then SET … PX … XX to slide the idle timeout. rotate(): write the new session, then claim the old key (GET and UNLINK in one MULTI: one key, one slot); if the GET found nothing, someone revoked it meanwhile: destroy the new one and return null.',
          'The index write is one Lua script on one key (lesson 05\'s tag index): ZREMRANGEBYSCORE -inf now, ZADD absoluteExpiresAt hash, PEXPIRE to the highest score minus now. revokeAll: ZRANGE 0 -1, UNLINK each session key in its own command (Promise.all), then ZREM exactly the hashes you read.',
        ],
      },
    ],
  },
  {
    number: 10,
    slug: '10-stampede',
    title: 'The cache stampede: one load for a thousand misses, across processes, and before expiry',
    sections: [],
    backend: 'redis',
    exercises: [
      {
        file: 'single-flight.ts',
        minutes: 10,
        hints: [
          'Lesson 01 already solved this inside memoize: while a load for a key is running, everyone who asks for that key gets the same promise. Keep those promises in a Map, and take the entry out when the promise settles, whether it resolved or rejected.',
          'Start the load inside run() itself (new Promise((resolve) => resolve(load())) turns a throw into a rejection). Remove the Map entry only if it is still the same promise. For the timeout, race the shared promise against a setTimeout that rejects with LoadTimeoutError, clear the timer when the load settles, and unref() it.',
          'getOrLoadShared: read with readOrMiss from provided/safe-json-cache.ts; on a miss, flight.run(key, …) with a load that reads Redis once more (the previous flight may have just written the value), then calls the loader and writes with writeOrReport.',
        ],
      },
      {
        file: 'redis-lock.ts',
        minutes: 15,
        hints: [
          'Two processes that both GET "free" and then SET both think they hold the lock. Redis can do the test and the set in one command: look at the NX and PX options of SET. Release is the same problem the other way round: a GET then DEL can delete a lock that has passed to someone else.',
          'acquireLock: a random token (crypto.randomBytes(16) as base64url), SET key token PX ttl NX, and the lock only if the reply is "OK". releaseLock: one Lua script run with redis.eval that DELs KEYS[1] only when its value equals ARGV[1], and returns 1 or 0.',
          'getOrLoadLocked: read; on a miss, loop: try the lock (key + ":lock"); if you got it, read again, load, write, and release in a finally. If not, sleep round(random() × min(250, firstDelayMs × 2^attempt)) ms (at least 1, and never past maxWaitMs), then read again. Once you have waited maxWaitMs, load without the lock. A Redis error while locking means: just load.',
        ],
      },
      {
        file: 'xfetch.ts',
        minutes: 10,
        hints: [
          'Everyone refreshing at the moment of expiry is the stampede. Let each reader decide alone, with a little randomness, to refresh a bit before: the closer the expiry, and the slower the load, the likelier. The README gives the formula.',
          'shouldRefreshEarly: true when now ≥ expiresAt; otherwise now − deltaMs × beta × Math.log(random()) ≥ expiresAt (log of a number below 1 is negative, so this adds a head start). Reject NaN, Infinity and negative deltaMs or beta with a RangeError.',
          'xfetch stores { value, deltaMs, expiresAt } as JSON: deltaMs is now() after the load minus now() before it, expiresAt is now() after the load plus the TTL in ms. On a read, anything without a finite deltaMs ≥ 0 and a finite expiresAt is a miss.',
        ],
      },
      {
        file: 'stale-while-revalidate.ts',
        minutes: 12,
        hints: [
          'Three ages: fresh (serve it), stale but not too old (serve it now, and refresh it without making the caller wait), too old or missing (the caller waits for a load). Store the moment the value stops being fresh beside it.',
          'Keep a Map of running loads per key, as in single flight: a stale read starts a refresh only when none is running for that key, and a miss joins a running one. Store { value, freshUntil } with a Redis TTL of freshSeconds + maxStaleSeconds.',
          'The background refresh is a promise nobody awaits: attach .catch() that increments stats.refreshErrors and calls onRefreshError, or it becomes an unhandled rejection. settled() waits until the Map is empty.',
        ],
      },
    ],
  },
  {
    number: 11,
    slug: '11-two-tiers',
    title: 'Two tiers: an in-process L1 in front of Redis, kept coherent across app instances',
    sections: [],
    backend: 'redis',
    exercises: [
      {
        file: 'two-tier.ts',
        minutes: 15,
        hints: [
          'two-tier.ts: L1 is an LRUCache from lru-cache with max, ttl and perf: { now } (so that the injected clock drives its TTL; ttlResolution: 0 makes it read the clock on every get). Store each value in a box ({ value }), so that null, 0 and undefined are hits. A miss goes through a SingleFlight from provided/single-flight.ts.',
          'Redis answers travel on their own: a GET can read the old value, and the message that says "changed" can be handled before that GET\'s reply. Keep a counter that every dropL1 and clearL1 moves; note it before the Redis read, and fill L1 afterwards only if it has not moved. Same for trustL1 = false: no read, no fill.',
          'get: L1 (only if trusted) → flight.run(key, …): note the counter, getBuffer and codec.decode (an error or foreign bytes: onCacheError, a miss), fill L1 if the counter did not move; else loader, SET key bytes EX ttl NX (NX: a set() that ran during the load wrote something newer; errors reported), fill L1 the same way when fillL1AfterLoad. set: SET, then dropL1, then await announce(key) in a try/catch. delete: UNLINK, dropL1, announce.',
        ],
      },
      {
        file: 'pubsub-invalidation.ts',
        minutes: 12,
        hints: [
          'pubsub-invalidation.ts: build the TwoTierCache with an announce that PUBLISHes on the channel through `redis` (never the subscriber: a subscribed connection refuses every other command). The message must say which key and who sent it, and a key can hold any character: JSON of [instanceId, key] is one safe shape.',
          'subscriber.on(\'message\', (channel, message) => …): ignore other channels; a message you cannot parse means "anything may have changed": clearL1(); a message with your own instanceId can be skipped (your write already dropped the key after it reached Redis); else dropL1(key). Await subscriber.subscribe(channel) before you resolve.',
          'The lost subscription: on the subscriber\'s \'close\' event, set cache.trustL1 = false; on \'ready\', subscribe again and only once that resolves set trustL1 = true (which clears L1: what was published meanwhile is gone). close() removes your three listeners with off(), distrusts L1 and unsubscribes.',
        ],
      },
      {
        file: 'tracking.ts',
        minutes: 15,
        hints: [
          'tracking.ts: you need a second connection for the messages: redis.duplicate({ autoResubscribe: false, lazyConnect: true }). Before it subscribes, ask it its CLIENT ID; subscribe it to __redis__:invalidate; then on `redis`: CLIENT TRACKING ON REDIRECT <that id> NOLOOP (your own writes already drop the key here). Any failure there means no tracking: disconnect the duplicate and throw an Error that says Redis 6+ and a real server are needed.',
          'The server watches a key only after this connection READ it, and forgets it once it has sent its invalidation: so build the TwoTierCache with fillL1AfterLoad: false. Listen to \'messageBuffer\': the payload is an array of keys (Buffers), or null when the whole database was flushed (clearL1).',
          'Reconnects lose tracking. On \'close\' of either connection: trustL1 = false. On \'ready\' of the subscriber: CLIENT ID again, subscribe, CLIENT TRACKING ON REDIRECT <new id>, trustL1 = true; on \'ready\' of `redis`: CLIENT TRACKING ON REDIRECT <current id>, trustL1 = true. close(): CLIENT TRACKING OFF, quit the duplicate.',
        ],
      },
    ],
  },
]);

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
