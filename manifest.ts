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

/**
 * One exercise: a starter file the learner edits, its specs and its hints. Its
 * time is not written here: `npm run readme:table` measures it (scripts/lib/sizes.ts).
 */
export interface Exercise {
  /** The starter, lessons/<slug>/<file>; its reference is solutions/<slug>/<file>; its core spec test/<slug>/<name>.spec.ts, its deep spec <name>.deep.spec.ts. */
  file: string;
  /** 2 or 3 graded hints: the first a nudge, the last all but the answer (never the reference's code). */
  hints: string[];
}

/** A workshop slot's worth of a lesson (at most 45 core minutes by the formula), that an instructor can give on its own. */
export interface Part {
  /** What it covers, e.g. 'Connections and JSON'. */
  title: string;
  /** Its exercises, by file, in lesson order. Together the parts cover every exercise once. */
  files: string[];
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
  /** Only for a lesson longer than one slot (45 core minutes): its parts. Without it, the lesson is one part. */
  parts?: Part[];
}

/** A lesson as the tools read it: its entry, the starter files in exercise order and its parts (always at least one). */
export interface Lesson extends LessonEntry {
  files: string[];
  parts: Part[];
}

/** Lessons as the tools read them: files and parts (one when none are given) filled in. */
export function withFiles(entries: LessonEntry[]): Lesson[] {
  return entries.map((entry) => {
    const files = entry.exercises.map((e) => e.file);
    return { ...entry, files, parts: entry.parts ?? [{ title: entry.title, files }] };
  });
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
        hints: [
          'f(1, \'2\') and f(\'1\', 2) must get different keys, and { a, b } the same key as { b, a }. What do String(args) and JSON.stringify lose? Make every value say what type it is, and keep the values apart.',
          'Encode recursively with a switch on typeof: strings quoted (JSON.stringify), numbers, booleans and undefined as String() prints them, null by name. Arrays item by item, joined by a comma inside brackets; plain objects field by field, the names sorted and quoted. A function or a symbol throws a TypeError whose message says args.',
          'The receiver: when thisArg is undefined the key is the arguments\' alone; otherwise put a receiver key in front of it, by identity, never by contents: a WeakMap from the object to a number you hand out once from a counter. The deep tier (npm run lesson 1 -- --deep) then adds BigInt, -0, dates, Maps, Sets, cycles and class instances.',
        ],
      },
      {
        file: 'memoize.ts',
        hints: [
          'Look at the spec about 0 and \'\': what does `if (cached)` do with a cached 0, an empty string or false?',
          'Ask the store has(key) before get(key), with the key from cacheKey(args, this): a method\'s result depends on its receiver. Call fn with fn.apply(this, args), so a memoized method keeps its this: the function you return must be a function, not an arrow.',
          'A promise is a result too: store it at once, so that callers who arrive while it is pending share one call, and attach a .catch that deletes the key when it rejects, but only if the store still holds that same promise (a newer call may have replaced it).',
        ],
      },
      {
        file: 'lru-memoize.ts',
        hints: [
          'Both halves are given: memoize takes a store (provided/memoize.ts), and an LruCache (provided/lru-cache.ts) is one. What is left is counting hits and misses.',
          'Give memoize a store built on an LruCache whose has() counts: true is a hit, false a miss. Its get() must be the LRU\'s get(), not peek(), so that a hit counts as a use; set and delete go straight to the LRU.',
          'Return Object.assign(memoize(fn, store), { cacheInfo, cacheClear }): cacheInfo reports hits, misses, maxSize (the max you were given) and currSize (the LRU\'s size); cacheClear clears the LRU and sets both counters back to 0.',
        ],
      },
      {
        file: 'lru-cache.ts',
        hints: [
          'A Map remembers the order keys were inserted, not the order they were used, and moving a key by deleting and re-inserting it costs more than it looks (the README measures it). What structure moves an entry to the front in constant time?',
          'Two structures: a Map from key to a Node { key, value, newer, older } (the type is in the starter), and a doubly linked list of those nodes, the newest at one end and the oldest, the next to evict, at the other. Make the list a ring through one extra node that holds no entry: its newer neighbour is the oldest entry, its older neighbour the newest. A hit unlinks its node and links it again at the newest end.',
          'Unlink: node.older.newer = node.newer and node.newer.older = node.older (the ring means both neighbours always exist). Link as newest: between the ring node\'s older neighbour and the ring node. A new key in a full cache takes the oldest node (the ring\'s newer neighbour): delete the old key from the Map, put the new key and value in the node, set it in the Map, move it to the newest end, and call onEvict with the old key and value last (it may write to the cache or throw).',
        ],
      },
      {
        file: 'slot-list.ts',
        hints: [
          'What did a node hold that a number cannot? Its two neighbours become two typed arrays indexed by slot, newer[slot] and older[slot]. A typed array cannot hold undefined: how will you know you are at an end of the list?',
          'Keep #newest, #oldest and #size. add(): a slot from a stack of freed ones, else the next never-used number from a counter; in an empty list it is both ends, else link it as the newest (older[slot] = #newest, newer[#newest] = slot, #newest = slot). fromOldest(): start at #oldest and follow newer[] #size times.',
          'use(slot): already #newest? Nothing to do (its newer neighbour is a stale number); else unlink it and link it as the newest. Unlink: if it is #oldest, #oldest = newer[slot], else newer[older[slot]] = newer[slot]; the same mirrored for #newest. free(slot): unlink, push it on the stack, #size--. clear(): #size and the counter back to 0, the stack emptied.',
        ],
      },
      {
        file: 'indexed-lru-cache.ts',
        hints: [
          'Same specs as LruCache: only where an entry lives changes. Instead of a node, an entry is a slot from a SlotList (provided/slot-list.ts), and what a node held becomes arrays indexed by the slot. What does that save per entry?',
          'A Map from key to slot, and keys and values in two arrays of length max (filled with undefined). get: the slot from the Map, list.use(slot), values[slot]. A new key while size < max: list.add() gives its slot; write the key and the value there and set the Map.',
          'A new key in a full cache takes list.oldest: delete the old key from the Map, write the new key and value into that slot, set the Map, list.use(slot), and call onEvict with the old key and value last. delete(key): delete it from the Map, list.free(slot), and set keys[slot] and values[slot] to undefined, so that the collector can have them.',
        ],
      },
    ],
    parts: [
      { title: 'Keys that do not collide', files: ['cache-key.ts'] },
      { title: '@cache and @lru_cache', files: ['memoize.ts', 'lru-memoize.ts'] },
      { title: 'An LRU cache in O(1)', files: ['lru-cache.ts'] },
      { title: 'Bonus: slots in typed arrays', files: ['slot-list.ts'] },
      { title: 'Bonus: an LRU as lean as lru-cache', files: ['indexed-lru-cache.ts'] },
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
        hints: [
          'A TTL cache is an LRU whose entries know when they expire. Do not write a second LRU: build on the LruCache in provided/lru-cache.ts, and read the time from a clock that only goes forward.',
          'Keep an LruCache<K, Entry<V>>; expiresAt is now() + ttlMs at set(), and an entry has expired once expiresAt <= now(). Check maxSize (a positive integer, a RangeError that names it) and ttlMs (checkTtl is given) in the constructor, and ttlMs in set(). The clock is options.now, or coarseClock() from provided/coarse-clock.ts.',
          'get() may use the LRU\'s get() and delete the entry when it turns out to have expired. peek() and has() read through the LRU\'s peek(), which is not a use, and answer for an expired entry as for a missing one. The deep tier (npm run lesson 2 -- --deep) adds delete(), size, remainingTtl() and expire() on expired entries, and expired entries dropped before a live one is evicted.',
        ],
      },
      {
        file: 'coarse-clock.ts',
        hints: [
          'performance.now() never jumps back, but a reading costs about a third of a cache operation. How often does a cache that reads it on every get and every set really need a new reading?',
          'Keep the last reading in a variable. When there is none, read performance.now(), keep it, and start a setTimeout of resolutionMs that forgets it (sets it back to undefined).',
          'Call .unref() on that timer, so that it never keeps a process alive. And check resolutionMs first: a RangeError that names it unless it is a positive, finite number.',
        ],
      },
      {
        file: 'ttl-memoize.ts',
        hints: [
          'This is lesson 01\'s lruMemoize with a TtlCache where the LruCache was, and one new trap: the clock can move between two calls.',
          'One TtlCache<string, Result> per call of ttlMemoize, not at module level (provided/ttl-cache.ts has one), with maxSize: max. Keys from cacheKey(args, this) in provided/cache-key.ts. Read with a single get(), and ask has() only when it returned undefined, to tell a cached undefined from a miss.',
          'A hit is get() returning something, or has() saying the key is there; count it and return. Otherwise count a miss, call fn.apply(this, args) and set the result; for a promise, add a .catch that deletes the key if cache.peek(key) is still that promise. cacheInfo and cacheClear as in lesson 01, with the TtlCache\'s size as currSize.',
        ],
      },
      {
        file: 'jitter.ts',
        hints: [
          'Why should 10,000 entries written in the same second not expire in the same second? And why may jitter take time off a TTL but never add any?',
          'random() is in [0, 1), so spread * random() is in [0, spread): take that share of the TTL off it, and round down (Math.floor), so that the result is a whole number that never exceeds the TTL asked for.',
          'Refuse nonsense first, with a RangeError that names it: a ttlMs that is not a finite number of at least 1, a spread outside [0, 1), a random() outside [0, 1). Never return 0 (Math.max with 1): a TTL of 0 would not cache at all.',
        ],
      },
      {
        file: 'library-way.ts',
        hints: [
          'Everything here is an option of lru-cache\'s LRUCache: look up ttl, maxSize with sizeCalculation, and fetchMethod in its documentation. You write no eviction code.',
          'createTtlCache is { max, ttl }. The specs bring their own clock, and lru-cache reads the time from perf.now(): pass { perf: { now } } when a now is given (shifted so that it never reads 0, which lru-cache takes for "no TTL"), and nothing otherwise. Refuse a max, maxBytes or ttlMs that is not a positive whole number, with a RangeError that names it: lru-cache reads 0 as "no limit". createByteBudgetCache counts UTF-8 bytes (Buffer.byteLength) of key plus value in a sizeCalculation, against maxSize.',
          'sizeCalculation must never return 0 (lru-cache throws on it): at least 1. createLoadingCache: fetchMethod is called with (key, staleValue, { signal }); hand key and signal to load, and let fetch() answer with the stale value while the new one loads (the allowStale option). The deep tier asks that only fetch() serve a stale value, and that size, delete() and the rest answer for an expired entry as for a missing one: a subclass of LRUCache can do both.',
        ],
      },
      {
        file: 'indexed-ttl-cache.ts',
        hints: [
          'Same specs as TtlCache, so the same rules: only where an entry lives changes. As in lesson 01\'s IndexedLruCache, an entry is a slot from a SlotList (provided/slot-list.ts); its key, value and expiry time become arrays indexed by the slot.',
          'A Map from key to slot; keys and values in two arrays of length maxSize; expiry times in a Float64Array(maxSize). get: the slot from the Map; if its time has come, forget the key (Map, list.free, the arrays) and answer undefined; else list.use(slot) and the value.',
          'set: an existing key keeps its slot. A new key gets list.add() while size < maxSize; in a full cache it takes list.oldest (delete the old key from the Map first). Write key, value and now + ttlMs at the slot, set the Map, list.use(slot). The default clock is coarseClock() from provided/coarse-clock.ts.',
        ],
      },
    ],
    parts: [
      { title: 'A TTL cache on an LRU', files: ['ttl-cache.ts'] },
      { title: 'A cheap clock, @cached_with_ttl and jitter', files: ['coarse-clock.ts', 'ttl-memoize.ts', 'jitter.ts'] },
      { title: 'The library way: lru-cache', files: ['library-way.ts'] },
      { title: 'Bonus: a TTL cache as lean as lru-cache', files: ['indexed-ttl-cache.ts'] },
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
        hints: [
          'Each row of the README\'s table of options answers one of the source\'s problems, and the specs check them one by one. Start with retryDelay: it is plain arithmetic, no Redis needed.',
          'retryDelay: the ceiling doubles from baseMs with every attempt (baseMs times 2 to the power times - 1) up to maxMs, and the wait is random() times the ceiling, rounded. createRedis: new Redis(url, options) with lazyConnect, commandTimeout, maxRetriesPerRequest and a retryStrategy that calls retryDelay; the url comes from REDIS_URL when none is given. Listen with redis.on(\'error\', ...) and hand the errors to onError.',
          'closeRedis: a client whose status is not \'ready\' has nobody to say QUIT to, so disconnect() it. For a ready one, start waiting for its \'end\' event (a promise around redis.once(\'end\', …)) before you call quit(), then await both: quit() resolves on Redis\'s OK, a moment before the client has ended. If quit() rejects, disconnect(). (The deep tier adds a reconnecting client, which disconnect() alone never ends.)',
        ],
      },
      {
        file: 'json-cache.ts',
        hints: [
          'Run the specs and list what the source\'s version gets wrong: a cached 0, bytes that are not JSON, an empty key, a TTL of 0, a Map. The checks for most of them are given: assertKey, assertTtl and toJson.',
          'Check first, naming the caller: assertKey(key, \'getJson\'), and the TTL too in setJson. A miss is GET answering null, not a falsy string. Encode with toJson(value, where), and write the value and its TTL in one command: SET with \'EX\'.',
          'In getJson, put JSON.parse in a try/catch: bytes that are not JSON are a miss. UNLINK the key, so that the next reader does not pay for it again, and return { hit: false }. A GET that rejects with WRONGTYPE (isWrongType from provided/checks.ts) is a foreign value too: the same miss; any other error is Redis being down, and goes to the caller.',
        ],
      },
      {
        file: 'codecs.ts',
        hints: [
          'JSON loses Map, Set, Date, BigInt and undefined. Two libraries keep them: superjson (JSON text plus type metadata) and msgpackr (binary). Most of your work is the error handling around them.',
          'jsonCodec encodes with superjson.stringify into a Buffer; decode parses the JSON first, checks it is superjson\'s envelope (an object with only json and meta keys: superjson quietly returns undefined for other JSON), then calls superjson.deserialize. msgpackCodec is one Packr with structuredClone: true, and its pack and unpack.',
          'Every decoding failure becomes a CodecError(codecName, message, { cause }), so that a caller can tell garbage from its own bug. Before encoding, call assertStorable(value, options) from provided/storable.ts: it throws a TypeError for a function, a class instance and whatever else would come back as something else (its options say what each library keeps: a Buffer in msgpack, -0 in superjson). The deep tier adds checkDecoded (the same file) after decoding: what encode would refuse is bytes the codec never wrote, a CodecError.',
        ],
      },
      {
        file: 'read-through.ts',
        hints: [
          'cached() is cache-aside with a codec. The question is what each failure costs: write down, for each of the three Redis calls, what the caller should get when it fails.',
          'Check the key and the TTL before anything. If getBuffer fails, Redis is down: report it and return the loader\'s value without trying to write; unless isWrongType(error), a foreign value: report, unlink, and go on as on a miss, so the key heals. If decode fails, the bytes are garbage: report it, unlink the key (catching that error too), and go on as on a miss.',
          'On a miss, await the loader, then encode outside any try: an unstorable value is the caller\'s bug and must throw. SET the bytes with \'EX\'; if that fails, report it and return the value anyway. The default onError is a console.warn that names the key.',
        ],
      },
      {
        file: 'list-cache.ts',
        hints: [
          'An empty list and a missing key look the same to Redis (LLEN is 0). How can the cache tell \'cached: no items\' from a miss? And how do you replace a list and give it a TTL with no moment in between?',
          'Put a marker as the list\'s first element, so that even an empty result is a list of length 1. Write DEL, RPUSH (the marker, then each item as JSON) and EXPIRE in one MULTI; exec() answers with [error, result] pairs, and the first error is thrown. 150,000 items spread into one rpush() overflow the call stack: one rpush per chunk of 1,000, all in the same MULTI.',
          'Read LLEN, LINDEX 0 and LRANGE in one MULTI. Length 0 is a miss; a first element that is not your marker, an item that does not parse, or a WRONGTYPE error (a key of another type) is garbage: unlink it and miss. The marker shifts every index by one: items offset to offset + limit - 1 sit at offset + 1 to offset + limit, a limit of Infinity stops at -1, and total is the length minus 1.',
        ],
      },
    ],
    parts: [
      { title: 'A connection that survives Redis', files: ['connection.ts'] },
      { title: 'JSON values in Redis', files: ['json-cache.ts'] },
      { title: 'Codecs', files: ['codecs.ts'] },
      { title: 'The cache layer', files: ['read-through.ts'] },
      { title: 'Lists', files: ['list-cache.ts'] },
    ],
  },
  {
    number: 4,
    slug: '04-caching-patterns',
    title: 'Caching patterns over a real database: cache-aside, write-through, invalidate-on-write, leases, write-behind',
    sections: ['4.1', '4.2', '4.3', '4.4', '8.1'],
    backend: 'redis',
    exercises: [
      {
        file: 'cache-aside.ts',
        hints: [
          'provided/json-cache.ts already tells a miss from a cached null. What is left is deciding whose each error is: the caller\'s, the database\'s or the cache\'s.',
          'Check the key and the TTL before you touch Redis (assertKey, assertTtl): once the cache calls sit inside a try, a catch would swallow the typo. A read that throws is reported to onCacheError and treated as a miss. The loader\'s errors reach the caller, and nothing is cached then.',
          'getJson in a try/catch, returning the value on a hit; then await the loader; then setJson in a try/catch of its own (report, and return the value anyway). getUser is getOrLoad with userKey(cache, id), a loader that calls cache.users.get(id), and the cache\'s TTL and onCacheError.',
        ],
      },
      {
        file: 'write-through.ts',
        hints: [
          'The database first, always. Once the row is committed the call has succeeded, whatever Redis says next.',
          'Check the TTL, upsert the row, then setJson the row the database returned (not the input) under userKey(cache, saved.id). Catch the cache\'s error and report it to onCacheError; never rethrow it.',
          'When SET fails, the old copy is still in Redis and would be served for up to a TTL: unlink the key in the catch, and catch and report that unlink\'s failure too. Return the saved row.',
        ],
      },
      {
        file: 'invalidate-on-write.ts',
        hints: [
          'Why delete rather than set? Two writers: A commits, B commits, B\'s SET lands, then A\'s. A set leaves the older row in the cache; a delete leaves a miss.',
          'Check the options before the database write, not after: a bad option must not leave a committed row behind a stale cache. Update (or delete) the row, then unlink the user\'s key; a failing unlink is reported to onCacheError, not thrown.',
          'The second delete is a setTimeout(..., secondDeleteAfterMs) started after the first delete, doing the same unlink; call .unref() on it so that it never keeps a process alive. The option is 0 to 2 ** 31 - 1, the longest a Node timer keeps. Return what the repository returned.',
        ],
      },
      {
        file: 'lease.ts',
        hints: [
          'The race: a reader misses and reads the old row, a writer commits and deletes the key, the reader SETs the old row. What could the reader leave under the key on its miss, so that the writer\'s delete (or SET) takes it away and the reader can tell?',
          'On a miss, SET the key to a lease: a token that is random and not JSON (lease: followed by randomBytes), with NX and PX LEASE_MS. A GET that finds someone else\'s lease is a miss with no lease: load and answer, write nothing. Redis down, garbage or another type are misses, as in exercise 1.',
          'The lease is a Lock whose key is the cache key itself: { key, token }. After the loader, writeWhileLocked(redis, lease, key, json, ttlSeconds) writes only if the key still holds your token. When the loader throws or the fill fails, give the lease back with releaseLock(redis, lease) (both from provided/redis-lock.ts), then throw the loader\'s error or report the fill\'s and return the value.',
        ],
      },
      {
        file: 'write-behind.ts',
        hints: [
          'The source\'s queue lives in the process: a restart loses every write not yet flushed. Where can the queue live so that it outlives the process, and when may an entry leave it?',
          'Keep the queue in Redis as a hash from user id to row JSON (HSET overwrites, which coalesces writes per user), written in one MULTI with the cache SET. To flush, RENAMENX the hash to a \'flushing\' key: one atomic move, and new writes start a fresh hash.',
          'flush(): first finish whatever \'flushing\' hash a dead flusher left (HGETALL), then rename and drain the current one. For each slice of batchSize entries: users.upsertMany(rows), and only after it resolves, HDEL those ids from \'flushing\'. A crash between the two means the batch is written again, which the upsert makes harmless.',
        ],
      },
    ],
    parts: [
      { title: 'Cache-aside and write-through', files: ['cache-aside.ts', 'write-through.ts'] },
      { title: 'Invalidate on write: delete, do not set', files: ['invalidate-on-write.ts'] },
      { title: 'Leases: the invalidation wins over a load in flight', files: ['lease.ts'] },
      { title: 'Write-behind that survives a crash', files: ['write-behind.ts'] },
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
        hints: [
          'Two bugs hide in the pattern user:1*: it matches user 10, and an id of * matches everyone. Which spec is which?',
          'End every pattern at the delimiter (user:1:*, not user:1*), and put a backslash before each *, ?, [, ] and \\ that comes from input, the prefix included.',
          'escapeGlob is one replace with a character class of those five characters, putting a backslash before the match. keyPattern escapes the prefix and each part (String(part) for numbers), joins the parts with \':\', ends with \':*\', and throws a TypeError when there are no parts.',
        ],
      },
      {
        file: 'invalidate.ts',
        hints: [
          'KEYS walks the whole keyspace in one command while every other client waits. Which command walks it a page at a time?',
          'invalidateKeys: UNLINK, not DEL (it frees big values off the main thread), and no command at all for no keys (UNLINK without keys is an error: wrong number of arguments). invalidatePattern refuses an empty pattern, one that starts with a glob character (a RangeError naming pattern), and a count that is not a positive integer (naming count), before it sends anything.',
          'Loop redis.scan(cursor, \'MATCH\', pattern, \'COUNT\', count) from \'0\' until the cursor comes back as the string \'0\' (not the number), UNLINK each page, and add up what UNLINK returns, not keys.length: SCAN can return a key twice, and a page can be empty while the walk goes on.',
        ],
      },
      {
        file: 'jitter.ts',
        hints: [
          'Take time off, never add it: the TTL a caller asks for is their bound on how stale a value may get.',
          'The most you may take off is floor(ttl times spread) whole seconds: draw a whole number from 0 up to that, inclusive, with random(), and subtract it. A TTL assertTtl refuses, a spread outside [0, 1), or a draw from random() outside [0, 1), is a RangeError.',
          'Math.floor(random() * (maxCut + 1)) gives each whole number from 0 to maxCut about equally often. setWithJitter is setJson from provided/json-cache.ts with the jittered TTL.',
        ],
      },
      {
        file: 'tags.ts',
        hints: [
          'Invalidating by tag needs an index from each tag to its keys. What happens to that index when its entries expire on their own, and when a write fails halfway?',
          'Keep each tag\'s index in a sorted set: the member is the entry\'s key, the score the time it expires, and the index expires with its longest-lived member. The entry and its indexes change in one Lua script (redis.eval), every key it touches passed in KEYS. A script may not touch a key it was not given, so invalidateTag reads the index first.',
          'Entries under prefix + \'entry:\', indexes under prefix + \'tag:\'; check everything first (toJson for the value). setWithTags: one script that first UNLINKs any index of another type (redis.pcall of ZCARD returns an error instead of a number; Redis does not undo a script\'s writes when a later command fails), then SET PX, then per tag ZREMRANGEBYSCORE -inf now, ZADD the expiry, and PEXPIRE to the TTL when PTTL is shorter. invalidateTag: ZRANGE 0 -1, then a second script given the index and those members in KEYS: UNLINK them, ZREM them, UNLINK the index when ZCARD is 0, and return what UNLINK removed. A WRONGTYPE from ZRANGE: UNLINK the index, 0 removed.',
        ],
      },
      {
        file: 'version.ts',
        hints: [
          'Deleting every key of a namespace is slow, and races with writers. What if the old keys simply stopped being read? And what if a load that read the old data stores it after the bump?',
          'Keep a version number in Redis, not in a field of the object: another process must see the bump. Every key includes the version, so bumping it makes every old key unreachable at once. getOrLoad reads the version once, before it loads, and stores under that one.',
          'VersionedCache: the version is GET of the prefix\'s version key (null means 0), every key is prefix + \'v\' + version + \':\' + key, and invalidateAll is INCR of the version key. Delete nothing: the TTLs clear the old version. get and set go through getJson and setJson; getOrLoad computes keyFor(key) once, reads it, and on a miss loads and setJson-s to that same key. The deep tier heals a version that is not digits, or a WRONGTYPE reply: SET the version to Date.now().',
        ],
      },
      {
        file: 'tagged-loads.ts',
        hints: [
          'A load reads the old row, the row changes, invalidateTag runs, and then the load stores what it read. What could the load have written down before it loaded, that the invalidation changes?',
          'Give each tag a generation (a counter under prefix + \'gen:\' + tag) that invalidateTag bumps with INCR before it removes anything. getOrLoad reads the generations of its tags before it loads, stores them with the value, and serves an entry only while they are still the current ones.',
          'getOrLoad: MGET the generation keys first (none when there are no tags), and make a stamp of the tags and their generations (JSON.stringify of the pairs); get the entry from the TaggedCache; a hit whose stamp equals yours is served; otherwise load, and setWithTags the object { value, stamp }. invalidateTag: INCR the generation, then the TaggedCache\'s invalidateTag. The deep tier heals a generation INCR cannot add to: SET it to Date.now().',
        ],
      },
    ],
    parts: [
      { title: 'By key, by pattern, by TTL', files: ['patterns.ts', 'invalidate.ts', 'jitter.ts'] },
      { title: 'By tag', files: ['tags.ts'] },
      { title: 'By version, and loads in flight', files: ['version.ts', 'tagged-loads.ts'] },
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
        hints: [
          'key-slot.ts: turn the key into bytes first (Buffer.from(key) is UTF-8); both the tag rule and the CRC work on bytes. crc16 walks the bytes one at a time and keeps a 16-bit number.',
          'crc16: for each byte, `crc ^= byte << 8`, then 8 times: if bit 0x8000 is set, `(crc << 1) ^ 0x1021`, else `crc << 1`; mask with 0xffff. hashedPart: indexOf(0x7b) for `{`, then indexOf(0x7d, open + 1) for `}`; when either is missing or close === open + 1, hash the whole key, else subarray(open + 1, close). Throw a TypeError for anything that is neither a string nor a Buffer.',
        ],
      },
      {
        file: 'cluster-client.ts',
        hints: [
          'cluster-client.ts: `new Cluster(nodes, options)`. Parse REDIS_CLUSTER_NODES by splitting on commas and each entry on its colon; a blank or missing variable means the 7300-7305 default, a bad entry a RangeError.',
          'The options: scaleReads and natMap passed through; enableOfflineQueue: false (a dead cluster must fail a command at once, not queue it forever); clusterRetryStrategy built on retryDelay from provided/connection.ts; slotsRefreshTimeout of a couple of seconds; and redisOptions { connectTimeout, commandTimeout, maxRetriesPerRequest } for every node. Listen to both \'error\' and \'node error\', warn once until the next \'ready\'.',
        ],
      },
      {
        file: 'cross-slot.ts',
        hints: [
          'cross-slot.ts: entityKey puts the id in braces and checks that nothing before it holds a brace. mgetAcrossSlots and invalidatePatternCluster both need the slot of each key: use your keySlot.',
          'mgetAcrossSlots: group the positions of the keys by slot, then group the slots by `cluster.slots[slot][0]` (the owner\'s address). Per node, one `cluster.pipeline()` with one `mget` per slot; write each answer back at its positions. invalidatePatternCluster: run lesson 05\'s SCAN loop on each of `cluster.nodes(\'master\')`, and UNLINK each page slot by slot.',
        ],
      },
      {
        file: 'sessions.ts',
        hints: [
          'sessions.ts: the key is `${prefix}session:${hashToken(token)}`, never the token: hashToken is SHA-256 in hex (createHash from node:crypto). Read the clock once per call (readClock), and let the given pieces do the rest: checkUserId, newToken, encodeSession, decodeSession, isToken, readBytes.',
          'create: absoluteExpiresAt = now + absoluteMs, idleExpiresAt = the smaller of now + idleMs and that; encodeSession before anything is written; SET with PX (idleExpiresAt - now) and NX. read: a string that is not a token is null at once; getBuffer through readBytes, decodeSession, then null (and UNLINK the key) when it is not a session or now has reached either expiry.',
        ],
      },
      {
        file: 'revocation.ts',
        hints: [
          'revocation.ts: make the per-user index, `${prefix}user:${userId}:sessions`, the truth: a session whose hash is not in it is not live. Then revokeAll only has to empty the index in one step, and whatever a login still has in flight is dead.',
          'store: index first (eval of the given INDEX_SESSION on the index key, with now, absoluteExpiresAt and the hash), then super.store. read: super.read, then ZSCORE of the hash; null (and drop) when it is missing. drop: super.drop, then ZREM the hash when the session was known.',
          'destroy: takeBytes of the session key (GET and UNLINK in one MULTI), decode, ZREM its hash, true. revokeAll: ZRANGE 0 -1 and UNLINK of the index in one MULTI, then UNLINK each session key in its own command (Promise.all: they live in many slots) and add up what they removed.',
        ],
      },
      {
        file: 'rotation.ts',
        hints: [
          'rotation.ts: get slides the idle timeout: idleExpiresAt = min(now + idleMs, absoluteExpiresAt), written back with SET … PX … XX so that a session ended meanwhile stays ended. rotate is a new token for the same stored session.',
          'rotate: read the old session, slide it, store it under a new token (this.store indexes it first), then claim the old one with ZREM of its hash from the index: 0 means someone revoked or rotated it meanwhile, so drop the new one and answer null; 1 means it is yours: UNLINK the old key and answer the new token.',
        ],
      },
    ],
    parts: [
      { title: 'Hash slots', files: ['key-slot.ts'] },
      { title: 'A client that keeps going', files: ['cluster-client.ts'] },
      { title: 'What a cluster refuses', files: ['cross-slot.ts'] },
      { title: 'Sessions you can trust', files: ['sessions.ts'] },
      { title: 'Log out everywhere', files: ['revocation.ts'] },
      { title: 'Sliding and rotation', files: ['rotation.ts'] },
    ],
  },
  {
    number: 7,
    slug: '07-web-caching',
    title: 'Caching in a web app on Hono: one Redis per process, a cache-aside route, an HTTP cache a shared cache would be proud of',
    sections: ['7.1', '7.2'],
    backend: 'redis',
    exercises: [
      {
        file: 'redis-dependency.ts',
        hints: [
          'redisDependency: the client must outlive the request, so it lives in the closure of redisDependency, not inside the middleware. Make it on first use, not before.',
          'A `let client: Redis | undefined` next to a `let closed = false`; the middleware does `client ??= create()` then `c.set(\'redis\', client)`. close() sets closed and calls closeRedis(client) when there is one; the middleware answers `c.text(…, 503)` once closed.',
        ],
      },
      {
        file: 'user-route.ts',
        hints: [
          'user-route: check the id with a regular expression before Number(): "1e3", "0x10" and "01" are numbers to JavaScript but not ids. Then read with getJson, which answers { hit: true, value: null } for a cached missing user.',
          'Wrap getJson and setJson each in try/catch (onCacheError, then carry on). On a miss, users.get(id), then setJson with missingTtlSeconds when it is null and ttlSeconds otherwise; answer `c.json({ error }, 404)` for null, from the cache or not.',
        ],
      },
      {
        file: 'cache-policy.ts',
        hints: [
          'cache-policy: every rule reads the given parseCacheControl (a Map of lower-case directive names) and deltaSeconds (digits only, capped at 2^31; undefined for anything else, which means stale). Dates go through the given parseHttpDate, never Date.parse.',
          'isStorable: GET only; refuse 206 and 304, no-store (request or response), private, Set-Cookie, a Vary that lists *; with Authorization require public, s-maxage or must-revalidate; then storable if public, s-maxage, max-age or Expires is there, or the status is one of 200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501. mayReuse: true without Authorization, else the stored Cache-Control must say public, s-maxage or must-revalidate.',
          'freshnessLifetime: no-cache → 0; else s-maxage, else max-age, else (Expires − Date) / 1000 with both read by parseHttpDate (no Date: now; an Expires it refuses: 0), else, when heuristicMaxSeconds > 0, min(cap, (Date − Last-Modified) / 10,000). initialAge: the larger of (responseTime − Date) / 1000 and deltaSeconds of the first member of Age plus (responseTime − requestTime) / 1000.',
        ],
      },
      {
        file: 'cache-key.ts',
        hints: [
          'cache-key: md5 is broken, and the path alone forgets which site asked: @hono/node-server builds the URL from the Host header, so the origin belongs in the key. Vary names a list of request headers; a variant is their values.',
          'cacheKey: new URL(url), then SHA-256 (base64url) of `GET ${origin}${path}${search}` after the prefix; with sortQuery, searchParams.sort() and `?${searchParams}`. In the path, decode every %XX whose character is unreserved (A-Z a-z 0-9 - . _ ~) and upper-case the others, so %7e is ~ and %3f is %3F.',
          'varyNames: split on commas, trim, lower-case, drop empty names; \'*\' if any is *, else the names without repeats, sorted. variantKey: SHA-256 of JSON.stringify([[name, value], …]) where value is the header with the spaces around commas removed and runs of whitespace made one space, or null when missing.',
        ],
      },
      {
        file: 'invalidation.ts',
        hints: [
          'invalidation: GET, HEAD, OPTIONS and TRACE change nothing, and a write that failed (status 400 or more) changed nothing either: no keys.',
          'Otherwise the key of request.url, plus the keys of Location and Content-Location resolved against request.url (URL.parse(value, url)) when the resolved URL has the same origin as the request. Pass the options on to cacheKey.',
        ],
      },
      {
        file: 'response-store.ts',
        hints: [
          'response-store: one hash per URL at its key: a field `vary` with the Vary names as JSON, and one field per variant, `v:` + variantKey(names, request), holding encodeStored(stored). Forgetting a URL is then one UNLINK.',
          'lookup: one HMGET (hmgetBuffer) of `vary` and of the unvaried variant\'s field (`v:` + variantKey([], new Headers())); no vary: {}. When vary lists names, one HGET (hgetBuffer) of that variant. save: in one MULTI, an UNLINK when the names differ from `previous`, an HSET of both fields and a PEXPIRE of (freshness − initialAge, plus keepStaleSeconds when there is an ETag or Last-Modified) × 1000, capped at 2^31 s; nothing when that is ≤ 0. An error among exec()\'s replies is thrown.',
          'Garbage: a vary field that is not JSON or not a list of strings, a StoredResponseError from decodeStored, or a WRONGTYPE error (isWrongType): UNLINK the key and answer {}. Any other error is thrown to the caller.',
        ],
      },
      {
        file: 'revalidation.ts',
        hints: [
          'revalidation: a stored ETag is asked about with If-None-Match, a Last-Modified with If-Modified-Since. The handler sees the request through c.req.raw: give it a copy with those fields, and put the original back after next().',
          'revalidate: on a 304, keep its c.res.headers, then set `c.res = undefined`: Hono\'s c.res setter copies the old response\'s fields into the new one, so the stored page would leave with the 304\'s Set-Cookie.',
          'freshen: delete, then append, each storedHeaders() field of the 304 except content-length; responseTime is now; initialAge comes from the 304\'s headers; freshness is rules.freshnessLifetime of a `new Response(null, { status, headers })` with the merged headers.',
        ],
      },
      {
        file: 'conditional.ts',
        hints: [
          'conditional: a browser that holds a copy sends If-None-Match (its ETag) or If-Modified-Since (its Last-Modified); when the stored response still matches, it needs no body, only a 304.',
          'answer: copy the stored headers and set age to Math.floor(age); if notModifiedFor, a 304 with only age and cache-control, content-location, date, etag, expires, last-modified, vary; else the status and the body (null for HEAD, 204, 205). notModifiedFor: with If-None-Match, true for * or for any listed tag equal to the stored ETag once W/ is dropped; without it, parseHttpDate both dates and compare modified <= since.',
        ],
      },
      {
        file: 'coalescing.ts',
        hints: [
          'coalescing: a Map from key to what is in flight: a promise of the fill\'s result and a voided flag. Register it before calling fill, so that the next caller finds it.',
          'A waiter awaits the promise and answers { leader: false, value: voided ? undefined : value }; the leader awaits fill and deletes the entry in a finally. The promise waiters await must not reject (catch it to undefined). void(keys) sets the flag of each entry in flight for those keys.',
        ],
      },
      {
        file: 'miss.ts',
        hints: [
          'miss: keep only what rules.isStorable allows; captureResponse(c.res, maxBodyBytes) reads status, the fields worth storing and the bytes, and gives back the response to send on (set c.res to it: the body was read).',
          'keep: when captured.complete and not voided(), build the StoredResponse (responseTime now, initialAge from c.res.headers, freshness from rules at responseTime) and await options.save(it). miss: fills.run(key, async (voided) => { await next(); keep… }) returning { stored, variant } with variant = variantKey(varyNames(stored headers), request.headers).',
          'A waiter (leader false) answers HIT with answer(stored, request, currentAge(stored)) only when its own variant equals the leader\'s and mayReuse allows it; otherwise await next() and MISS.',
        ],
      },
      {
        file: 'http-cache.ts',
        hints: [
          'http-cache: first the methods that are not GET or HEAD: next(), then invalidatedKeys → fills.void and store.forget. A request that says no-store, or a lookup that fails (every Redis call inside a guard from guardRedis), is a BYPASS: next(), nothing stored.',
          'A stored response that mayReuse allows with currentAge < freshness: c.res = answer(...), HIT. Stale with validators on a GET: revalidate(c, next, stored); headers back → freshen, store.save, answer, STALE; undefined → keep the new response, or store.forget([key]) when nothing was kept, MISS.',
          'Anything else is done(await miss(c, next, key, fills, …)) (the rules never keep the answer to a HEAD), with KeepOptions whose save is guard(() => store.save(key, request.headers, stored, names)). done() counts in stats and sets X-Cache with withHeader, assigning c.res only when withHeader made a copy.',
        ],
      },
      {
        file: 'library-way.ts',
        hints: [
          'library-way: build `new CachePolicy({ method, url, headers }, { status, headers }, { shared: true, cacheHeuristic: 0.1, immutableMinTimeToLive: 0 })` with plain objects: Object.fromEntries(headers) gives lower-case names. Then ask policy.storable() and policy.maxAge().',
          'What the library misreads, hand it clean: Cache-Control rebuilt from parseCacheControl (lower-case names: it reads PRIVATE as an unknown directive), Date and Last-Modified dropped and Expires made "0" when parseHttpDate refuses them. isStorable: GET only, policy.storable(), and refuse Set-Cookie and Vary: * yourself. freshnessLifetime: policy.maxAge(), capped at heuristicMaxSeconds when the response gave no explicit lifetime (no max-age, s-maxage or Expires): that cap is the only thing that stops its guess.',
        ],
      },
      {
        file: 'hot-store.ts',
        hints: [
          'hot-store: remember, per key, what Redis answered (the Vary names, and the variants looked up so far) with the time it stops being usable; lesson 01\'s LruCache bounds how many keys are kept. Whatever this process saves or forgets must leave memory at once.',
          'lookup: an entry still before its time whose names say nothing is stored ({}), or that holds the request\'s variant (variantKey(names, request)), answers from memory; otherwise super.lookup, then remember its answer (a new entry when there was none or its names changed) until now + hotMs. save and forget: hot.delete(key) first, then super. The constructor refuses a hotMs that is not a whole number ≥ 1 with a RangeError that names hotMs.',
        ],
      },
    ],
    parts: [
      { title: 'One Redis per process, and a cache-aside route', files: ['redis-dependency.ts', 'user-route.ts'] },
      { title: 'What a shared cache may store, and for how long', files: ['cache-policy.ts'] },
      { title: 'Keys, variants, and what a write makes stale', files: ['cache-key.ts', 'invalidation.ts'] },
      { title: 'Every variant of a URL in Redis', files: ['response-store.ts'] },
      { title: 'Revalidation: asking the handler whether a stale page changed', files: ['revalidation.ts'] },
      { title: 'A client\'s conditional request, and concurrent misses once', files: ['conditional.ts', 'coalescing.ts'] },
      { title: 'A miss: what to keep of the handler\'s answer', files: ['miss.ts'] },
      { title: 'The middleware that joins them', files: ['http-cache.ts'] },
      { title: 'The library way: http-cache-semantics', files: ['library-way.ts'] },
      { title: 'Bonus: a hit without a round trip', files: ['hot-store.ts'] },
    ],
  },
  {
    number: 8,
    slug: '08-best-practices',
    title: 'Best practices: eviction instead of FLUSHDB, monitoring that cannot divide by zero, errors that protect the database',
    sections: ['8.2', '8.3', '8.4'],
    backend: 'redis',
    parts: [
      { title: 'Size: a bound Redis keeps itself', files: ['eviction.ts'] },
      { title: 'Where the memory goes', files: ['memory-report.ts'] },
      { title: 'The server\'s figures, over a window', files: ['monitoring.ts'] },
      { title: 'The cache\'s own counters, for Prometheus', files: ['metrics.ts'] },
      { title: 'A circuit breaker', files: ['circuit-breaker.ts'] },
      { title: 'The breaker with opossum, and bounded loads', files: ['library-way.ts', 'load-gate.ts'] },
      { title: 'Copies an outage cannot reach', files: ['copy-store.ts'] },
      { title: 'Fail-safe: what to serve', files: ['fail-safe.ts'] },
    ],
    exercises: [
      {
        file: 'eviction.ts',
        hints: [
          'choosePolicy is a switch on the use: only copies may ever be evicted, and data (sessions, locks, rate limits, queues) must never be: what does Redis do instead of evicting under noeviction? The access pattern picks lru or lfu.',
          'configureEviction: check maxmemory (a safe integer ≥ 1), the policy (one of evictionPolicies) and samples (1 to 64, when given) before touching Redis; then one redis.call(\'CONFIG\', \'SET\', …) with every pair, so that all apply or none.',
          'Then read the truth back: redis.call(\'CONFIG\', \'GET\', \'maxmemory*\') answers a flat [name, value, name, value…] list; turn it into a Map, and return { maxmemory: Number(…), policy, samples: Number(…) } from it, not from what you sent.',
        ],
      },
      {
        file: 'memory-report.ts',
        hints: [
          'Walk the keys a page at a time, never all at once: SCAN with MATCH escapeGlob(prefix) + \'*\' from cursor \'0\' until the cursor is \'0\' again, or you have sampleSize keys. SCAN may return a key twice: collect them in a Set.',
          'One pipeline for all the keys: pipeline.call(\'MEMORY\', \'USAGE\', key) and pipeline.pttl(key) for each, then exec(): replies come as [error, result] pairs, two per key, in order.',
          'MEMORY USAGE answers null for a key that expired meanwhile (leave it out of largest); PTTL -1 means "no TTL" (-2 would be "gone"). Sort largest by bytes, descending, and slice(0, top). used_memory, maxmemory and maxmemory_policy are lines of redis.info(\'memory\'): a regex with the m flag finds each.',
        ],
      },
      {
        file: 'monitoring.ts',
        hints: [
          'hitRate: check both counts with Number.isSafeInteger and >= 0 (a RangeError naming the count), then answer null for 0 lookups. parseInfo: split on /\r?\n/, trim each line, skip lines without a colon (or with it first), and split each line at its FIRST colon only.',
          'infoNumber: a missing field, or one whose text is blank or not a finite number, is a RangeError naming the field. statsBetween: the counters are keyspace_hits, keyspace_misses, evicted_keys, expired_keys and total_commands_processed; a reset happened when run_id differs or any counter went down, and then the figures are the second reading itself.',
          'sampleServerStats: check a numeric window (finite, 0 to 2147483647) first; parseInfo(await redis.info()) before, then either await a setTimeout promise of `window` ms or `await window()`, then the second reading and statsBetween(before, after).',
        ],
      },
      {
        file: 'metrics.ts',
        hints: [
          'Each CacheMetrics owns `new Registry()` and passes `registers: [this.registry]` to every metric, so that two of them never collide in prom-client\'s global registry. The label is `cache`; check the name (a non-empty string) in every method.',
          'loaded() refuses seconds that are negative or not finite with a RangeError that names seconds. counts(): `(await counter.get()).values` holds one entry per label set; find the one whose labels.cache is the name (0 when none). The histogram\'s entries carry metricName: cache_load_duration_seconds_count is loads, _sum is loadSeconds. hitRate (given) turns hits and misses into the rate.',
        ],
      },
      {
        file: 'circuit-breaker.ts',
        hints: [
          'Keep two facts: the times of recent failures (an array you filter to the last windowMs) and openedAt (undefined while closed). The state getter works the rest out from now(): cooldownMs after openedAt it is half-open. No timers needed.',
          'run(): read the state once. Open, or half-open with a probe already out: throw CircuitOpenError without calling the action. Half-open with no probe out: this call is the probe (remember when it started), and onStateChange(\'half-open\', \'open\').',
          'When the action ends: the probe\'s success closes (openedAt cleared, onStateChange(\'closed\', \'half-open\')); its failure opens again from now. A failure while closed is pushed, and the failureThreshold-th within windowMs opens (failures cleared, onStateChange(\'open\', \'closed\')). Rethrow the action\'s error either way. In the constructor, a RangeError that names the option for a failureThreshold that is not a whole number ≥ 1, or a windowMs or cooldownMs that is not a finite number > 0.',
        ],
      },
      {
        file: 'library-way.ts',
        hints: [
          'Read opossum\'s defaults in its README: volumeThreshold 0 and errorThresholdPercentage 50 open on the first failure, resetTimeout is 30 s, timeout 10 s. Map our three numbers onto volumeThreshold, rollingCountTimeout and resetTimeout.',
          'volumeThreshold takes failureThreshold (no verdict on fewer calls), rollingCountTimeout the window, resetTimeout the cooldown; errorThresholdPercentage can stay at 50, and opossum\'s own per-call timeout is switched off with timeout: false.',
        ],
      },
      {
        file: 'load-gate.ts',
        hints: [
          'Two things: a Map from key to the promise of its load in flight (a caller of the same key gets that promise; delete the entry when it settles, so that a failure is not shared with the next call), and a count of running loads with a queue of those waiting for a slot.',
          'Over the limit, await a new Promise whose resolve you push onto the queue. When a load ends (in a finally, so a failure frees its slot too), hand the slot to the next in line by calling its resolve, or, when nobody waits, count one load fewer. The constructor refuses a maxConcurrent that is not a whole number ≥ 1 with a RangeError that names it.',
        ],
      },
      {
        file: 'copy-store.ts',
        hints: [
          'First the checks: a name that is not a non-empty string is a TypeError that says name, a localMaxEntries (default 1,000) that is not a whole number ≥ 1 a RangeError that names it. Then build a CircuitBreaker (given) in the constructor: the defaults 5 failures, 10 s, 5 s, then options.breaker; now; isFailure: a ReplyError (WRONGTYPE, OOM) is Redis answering, not an outage; onStateChange: log one line when it leaves closed, one when it closes again. And an LruCache of copies, max localMaxEntries.',
          'read(): run the GET through the breaker. Its copy (decoded with jsonCodec, and checked: an object with value, freshUntil and staleUntil) goes into the LruCache too; last is that copy, or else the LruCache\'s. Any error: count it with metrics.error unless it is a CircuitOpenError, and answer { last, down } with down false only for a ReplyError.',
          'write(): encode with jsonCodec first (a TypeError that names the key when it refuses), then the LruCache, then SET key bytes EX ttlSeconds through the breaker, with its error counted and swallowed. A log line that throws is counted as an error too: it must not fail the probe that closes the breaker.',
        ],
      },
      {
        file: 'fail-safe.ts',
        hints: [
          'Check freshSeconds and staleSeconds with assertTtl(freshSeconds, \'FailSafeCache freshSeconds\') (its second argument names the option in the error), and maxConcurrentLoads (a RangeError that names it), in the constructor; build a LoadGate beside the CopyStore. In get(), read once: { redis, last, down }. A copy is fresh while now() < freshUntil, usable while now() < staleUntil.',
          'Fresh, and either Redis holds it or Redis is down: a hit (from \'redis\' or \'memory\'). Redis up without the key means it may have been invalidated: never a hit from memory then. Down with a usable copy: serve it stale, without loading.',
          'Otherwise load through gate.run(key, …): time the loader (metrics.loaded, in a finally), refuse undefined, make { value, freshUntil: now + fresh, staleUntil: now + fresh + stale } and store.write it for fresh + stale seconds. If the load fails and you hold a usable copy, serve it marked stale (metrics.staleServed); else rethrow.',
        ],
      },
    ],
  },
  {
    number: 9,
    slug: '09-advanced-techniques',
    title: 'Advanced techniques: compression that cannot be a bomb, a rolling deploy, priorities eviction honours',
    sections: ['9.1', '9.2', '9.3'],
    backend: 'redis',
    parts: [
      { title: 'Compression, bounded and off the event loop', files: ['compressors.ts'] },
      { title: 'Compression that pays and rolls out', files: ['compression.ts'] },
      { title: 'A rolling deploy: two shapes, one key', files: ['rolling-deploy.ts'] },
      { title: 'Priorities Redis\'s eviction honours', files: ['pinned-keys.ts'] },
      { title: 'Priorities in memory', files: ['priority-cache.ts'] },
    ],
    exercises: [
      {
        file: 'compressors.ts',
        hints: [
          'A switch on the algorithm, each case with its own functions: zlib.gzipSync / gunzipSync, brotliCompressSync / brotliDecompressSync (quality 5 in params), snappy.compressSync / uncompressSync; for async, the callback versions of zlib through util.promisify, and snappy.compress / uncompress.',
          'zlib stops by itself: pass { maxOutputLength: maxBytes } to gunzip and brotliDecompress, and it throws a RangeError with code ERR_BUFFER_TOO_LARGE. snappy has no such option: its first bytes are a varint of the length it expands to; check that first.',
          'The varint: for each of at most 5 bytes, add (byte & 0x7f) × 2^(7i); a byte without its high bit (0x80) ends it. Over maxBytes: throw Object.assign(new RangeError(…), { code: \'ERR_BUFFER_TOO_LARGE\' }); no end within 5 bytes: an Error (broken data). Check the algorithm (one of algorithms) and maxBytes (a safe integer ≥ 1) first.',
        ],
      },
      {
        file: 'compression.ts',
        hints: [
          'Every stored value starts with one byte from HEADER. encode: raw (HEADER.raw + the codec\'s bytes) under the threshold, or when compress() did not make them smaller; decode: read the first byte, and a byte HEADER does not have (or none at all) is a CodecError, never a guess.',
          'compress and decompress are given (provided/compressors.ts): async is `length >= asyncAbove`, maxBytes is maxDecodedBytes. Wrap whatever decompress throws in a CodecError (keep it as the cause). encode refuses a codec output over maxDecodedBytes with a RangeError: no reader would accept it.',
          'getCompressed: getBuffer, then decode; catch a CodecError, or an error isWrongType says is WRONGTYPE: UNLINK the key and answer { hit: false }; rethrow anything else. Check the options first: the algorithm one of algorithms, the sizes whole numbers (Number.isInteger) within 0 (1 for maxDecodedBytes) and buffer.constants.MAX_LENGTH.',
        ],
      },
      {
        file: 'rolling-deploy.ts',
        hints: [
          'Both releases must read and delete the same key, so the version cannot be in the key. Put it in the value instead: set() stores { shape, value } with setJson.',
          'get(): an envelope with your own shape is a hit; a newer shape is a miss you leave alone (the next release\'s value); an older one goes through upgrades[shape], upgrades[shape + 1]… until it is yours. Anything that is not an envelope is garbage: UNLINK it.',
          'Nearly the answer: getJson, then check typeof === \'object\', \'value\' in it and Number.isSafeInteger(shape) && shape >= 1; a for loop from the stored shape up to this.shape applying each upgrade, inside a try/catch that turns a throw into { hit: false }; a missing upgrade, or one that returns undefined, is { hit: false } too. Refuse a shape that is not a safe integer ≥ 1 (RangeError naming shape), an id that is not a non-empty string (TypeError naming id) and set() of undefined (TypeError: undefined is not a value).',
        ],
      },
      {
        file: 'pinned-keys.ts',
        hints: [
          'Under a volatile-* policy Redis evicts only keys that have a TTL. So pin() is a SET with no EX at all, and set() keeps its EX. Nothing evicts pinned keys now, so bound them yourself: a sorted set of the pinned keys scored by now().',
          'A script may touch only the keys it is given in KEYS, so the oldest pin cannot be found and deleted inside the pinning script. Two scripts: PIN (SET, ZADD) that answers 0 when the index already holds maxPinned keys and not this one; UNPIN that ZREMs and UNLINKs a given key if ZRANGE 0 0 still says it is the oldest.',
          'pin(): while PIN answers 0, ZRANGE index 0 0 for the oldest and run UNPIN on it. Entries under `${prefix}entry:`, the index at `${prefix}pins` (no caller\'s key can be it). set(): MULTI with SET EX and ZREM of the index, and check each [error] of exec(). The checks are given: assertKey, assertTtl and toJson (provided/json-cache.ts), and maxPinned a safe integer ≥ 1 (RangeError naming it).',
        ],
      },
      {
        file: 'priority-cache.ts',
        hints: [
          'One LRU per priority level. Evicting means: the lowest level that has an entry gives up its least recently used one. With ten levels that is at most ten looks, O(1).',
          'Keep ten LruCache (from provided/lru-cache.ts, with max Number.MAX_SAFE_INTEGER: you do the bounding) and a Map from key to its priority. get() goes through that level\'s LruCache.get, which makes it the newest there; the oldest of a level is level.keys().next().',
          'set() checks priority and weight first, deletes the old entry, returns false if weight > maxWeight, adds the entry and its weight, then while (weight > maxWeight) evicts the oldest key of the lowest non-empty level, keeping what it evicted; only then calls onEvict for each, and returns whether the key is still there.',
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
    parts: [
      { title: 'One load for many misses, in one process', files: ['single-flight.ts'] },
      { title: 'A lock in Redis you can trust: atomic, released safely, fenced', files: ['redis-lock.ts', 'fencing.ts'] },
      { title: 'One load for the whole fleet', files: ['locked-load.ts'] },
      { title: 'Before expiry: refresh early', files: ['xfetch.ts'] },
      { title: 'After expiry: serve stale, refresh in the background', files: ['stale-while-revalidate.ts'] },
    ],
    exercises: [
      {
        file: 'single-flight.ts',
        hints: [
          'Lesson 01 already solved this inside memoize: while a load for a key is running, everyone who asks for that key gets the same promise. Keep those promises in a Map (size is its size), and take the entry out when the promise settles, whether it resolved or rejected.',
          'Start the load inside run() itself (new Promise((resolve) => resolve(load())) turns a throw into a rejection). For the timeout, race the shared promise against a setTimeout that rejects with a LoadTimeoutError, clear the timer when the load settles first, and unref() it. Check the key with assertKey and timeoutMs (1 to MAX_TIMEOUT_MS, or Infinity) before anything else.',
          'getOrLoadShared: read with readOrMiss; on a hit, return the value; on a miss, return flight.run(key, load, timeoutMs) where load reads Redis once more (the previous flight may have just written the value), and only then calls the loader and writes it with writeOrReport.',
        ],
      },
      {
        file: 'redis-lock.ts',
        hints: [
          'Two processes that both GET "free" and then SET both think they hold the lock. Redis can do the test and the set in one command: look at the NX and PX options of SET. Release has the same problem the other way round: a GET then a DEL can delete a lock that has passed to someone else.',
          'acquireLock: check the key (assertKey) and ttlMs (a whole number from 1 to MAX_LOCK_MS, else a RangeError naming ttlMs); a random token (crypto.randomBytes(16) as base64url); SET key token PX ttlMs NX; the lock only if the reply is "OK", else null. releaseLock: one Lua script run with redis.eval that DELs KEYS[1] only when its GET equals ARGV[1], and returns 1 or 0.',
        ],
      },
      {
        file: 'fencing.ts',
        hints: [
          'A holder whose lock expired still believes it holds it. The write must check that the lock is still ours in the same atomic step as the write: what runs atomically in Redis?',
          'writeWhileLocked: one Lua script through redis.eval with 2 keys (the lock key, then the value key) and 3 arguments (the token, the value, the TTL): if GET of KEYS[1] equals ARGV[1], SET KEYS[2] ARGV[2] EX ARGV[3] and return 1, else return 0; true when the reply is 1. invalidate: UNLINK the key and `${key}:lock` in one command.',
        ],
      },
      {
        file: 'locked-load.ts',
        hints: [
          'One caller in the fleet holds the lock and loads; the others look again now and then. What does a waiter do when the holder never writes (it died)? And what if the holder took longer than its lock lives?',
          'Loop: acquireLock(redis, `${key}:lock`, lockTtlMs). Got it: read once more, load, write with writeWhileLocked (toJson the value; report a failure to onCacheError), and releaseLock in a finally. Not got it: if you have waited maxWaitMs, return loader() (without writing); else sleep, add the wait to what you waited, and read again. A Redis error from acquireLock: report it and return loader().',
          'The wait for attempt n (from 0) is Math.min(maxWaitMs - waited, Math.max(1, Math.round(r * Math.min(MAX_DELAY_MS, firstDelayMs * 2 ** n)))), where r is random(), or 0.5 when random() is not a number from 0 to 1.',
        ],
      },
      {
        file: 'xfetch.ts',
        hints: [
          'Everyone refreshing at the moment of expiry is the stampede. Let each reader decide alone, with a little randomness, to refresh a bit before: the closer the expiry, and the slower the load, the likelier. The README gives the formula.',
          'shouldRefreshEarly: true when now >= expiresAt; otherwise now - deltaMs * beta * Math.log(random()) >= expiresAt (the log of a number below 1 is negative, so this adds a head start).',
          'xfetch: read with readOrMiss; an entry (isEntry) that shouldRefreshEarly says to keep is returned. Otherwise load between two now() calls and store { value, deltaMs: end - start, expiresAt: end + ttlSeconds * 1000 } with writeOrReport. If the loader throws while you hold an entry that has not expired (now() < expiresAt), call onRefreshError and return the entry\'s value instead.',
        ],
      },
      {
        file: 'stale-while-revalidate.ts',
        hints: [
          'Three ages: fresh (serve it), stale but not too old (serve it now, and refresh it without making the caller wait), too old or missing (the caller waits for a load). Store the moment the value stops being fresh beside it.',
          'Keep a Map of running loads per key, as in single flight: a stale read starts a refresh only when none is running for that key (count it in stats.refreshes), and a miss joins a running one. Store { value, freshUntil: now() + freshSeconds * 1000 } with a TTL of freshSeconds + maxStaleSeconds.',
          'The background refresh is a promise nobody awaits: attach .catch() that increments stats.refreshErrors and calls onRefreshError, and one more .catch(() => {}) after it, or it becomes an unhandled rejection. settled() waits, in a loop, until the Map is empty.',
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
    parts: [
      { title: 'The two tiers, each honest: L1 in memory, L2 in Redis', files: ['memory-tier.ts', 'redis-tier.ts'] },
      { title: 'The tiers together', files: ['two-tier.ts'] },
      { title: 'Every L1 coherent, by message', files: ['pubsub-invalidation.ts'] },
      { title: 'Every L1 coherent, by the server (client-side caching)', files: ['tracking.ts', 'tracked-cache.ts'] },
    ],
    exercises: [
      {
        file: 'memory-tier.ts',
        hints: [
          'A Map never forgets and never bounds itself: lesson 02\'s lru-cache does both. And an answer that left Redis before an invalidation arrived must not be kept: how could fill() know that one happened in between?',
          'An LRUCache from lru-cache with max: l1Max, ttl: l1TtlMs, ttlResolution: 0 and perf: { now } (so that the injected clock drives the TTL). Keep a counter that drop() and clear() increase: invalidations answers it, and fill() sets only when L1 is trusted and noted equals the counter. The trusted setter stores the flag and then calls clear(). RangeErrors for an l1Max below 1 or not whole, and an l1TtlMs not whole or outside 1 to 2^31 - 1, naming them.',
        ],
      },
      {
        file: 'redis-tier.ts',
        hints: [
          'Two things are missing. A GET can fail, or answer bytes the codec cannot read, or hit a list: each is a miss to report, not an error. And a load that finishes after a write() or a remove() must not write its older value: lesson 10 gave you a lock and a write fenced by it (provided/redis-lock.ts).',
          'read: try getBuffer and codec.decode; catch: report and return undefined. fill: lease = acquireLock(redis, `${key}:lock`, leaseMs) (a failure reported, no lease); in a try: value = await load(), bytes = codec.encode(value), and if you hold the lease, writeWhileLocked(redis, lease, key, bytes, ttl) (a failure reported); in the finally, releaseLock if you hold the lease. write: encode, then UNLINK `${key}:lock`, then SET key bytes EX ttl (failures reported). remove: invalidate(redis, key), a failure reported.',
        ],
      },
      {
        file: 'two-tier.ts',
        hints: [
          'The order of a read is L1, then Redis, then the loader. Two instances read the same key at once: one load. A Redis answer that left before an invalidation arrived: not kept (the memory tier does that, if you note its invalidations first).',
          'get: the L1 box, if any (count l1Hits). Else this.#flight.run(key, ...): note this.#l1.invalidations, read L2; a box: l2Hits, fill L1 with it and the noted count, answer it. Else misses, value = await this.#l2.fill(key, loader), and fill L1 with { value } unless fillL1AfterLoad is false.',
          'set: write L2 in a try, drop L1 in its finally, then announce the key in a try/catch that reports a failure to onCacheError. delete: the same with the L2 remove.',
        ],
      },
      {
        file: 'pubsub-invalidation.ts',
        hints: [
          'Build the TwoTierCache with an announce that PUBLISHes on the channel through `redis` (never the subscriber: a subscribed connection refuses every other command). The message must say which key and who sent it, and a key can hold any character: JSON of [instanceId, key] is one safe shape.',
          'subscriber.on(\'message\', (channel, message) => …): ignore other channels; a message you could not have written (parse it, and check that invalidationMessage of its two parts gives it back) means "anything may have changed": clearL1(); your own instanceId: skip it; else dropL1(key). Await subscriber.subscribe(channel) before you resolve.',
          'The lost subscription: on the subscriber\'s \'close\', cache.trustL1 = false; on \'ready\', subscribe again and only once that resolves set trustL1 = true, unless closed. close(): off() your three listeners, trustL1 = false, remember that it is closed, and unsubscribe (awaited only when the subscriber is not connecting or reconnecting).',
        ],
      },
      {
        file: 'tracking.ts',
        hints: [
          'On RESP2, the invalidations go to another connection, named by its id; a subscribed connection can no longer tell its id.',
          'subscribeToInvalidations: String(await subscriber.client(\'ID\')), then subscriber.subscribe(INVALIDATE_CHANNEL), and return the id. trackInto: redis.client(\'TRACKING\', \'ON\', \'REDIRECT\', id, \'NOLOOP\'), then cache.trustL1 = true. invalidationListener: a function of (channel, keys) that ignores other channels, clears L1 when keys is not an array, and drops String(key) of each key.',
        ],
      },
      {
        file: 'tracked-cache.ts',
        hints: [
          'You need a second connection for the messages, yours alone: redis.duplicate({ autoResubscribe: false, lazyConnect: true }) (and an \'error\' listener). Build the TwoTierCache with fillL1AfterLoad: false, and give the subscriber the invalidationListener. Any failure while turning tracking on means no tracking: end the subscriber and throw an Error with the failure as its cause.',
          'Reconnects lose tracking. On \'close\' of redis: trustL1 = false. On \'close\' of the subscriber: forget its id too. On \'ready\' of the subscriber: subscribeToInvalidations again, then trackInto with the new id; on \'ready\' of redis: trackInto with the current id (failures wait for the next \'ready\').',
          'close(): remember it is closing (the same promise each time), remove your listeners from redis, trustL1 = false, CLIENT TRACKING OFF when redis.status is \'ready\', and end(subscriber).',
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

/** An exercise's short name, as the commands take it: codecs.ts is "codecs". */
export function exerciseName(file: string): string {
  return file.replace(/\.ts$/, '');
}

/** An exercise of a lesson by its name ("codecs", "codecs.ts") or its number within the lesson (1, 2…). */
export function findExercise(lesson: Lesson, nameOrNumber: string): Exercise | undefined {
  const wanted = nameOrNumber.trim();
  if (/^\d+$/.test(wanted)) return lesson.exercises[Number(wanted) - 1];
  return lesson.exercises.find((e) => e.file === wanted || exerciseName(e.file) === wanted);
}

/**
 * The core spec of a starter file: lessons/<slug>/lru-cache.ts is checked by
 * test/<slug>/lru-cache.spec.ts. It checks the idea the exercise teaches and
 * nothing its README contract does not promise; `npm run lesson N` runs it.
 */
export function specFor(lesson: Pick<Lesson, 'slug'>, file: string): string {
  return `test/${lesson.slug}/${file.replace(/\.ts$/, '.spec.ts')}`;
}

/**
 * The deep spec of a starter file, test/<slug>/lru-cache.deep.spec.ts, where an
 * exercise has one: hostile inputs, protocol corners, exact messages, production
 * hardening. `npm run lesson N -- --deep` adds it; the reference passes both.
 */
export function deepSpecFor(lesson: Pick<Lesson, 'slug'>, file: string): string {
  return `test/${lesson.slug}/${file.replace(/\.ts$/, '.deep.spec.ts')}`;
}
