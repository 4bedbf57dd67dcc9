/**
 * The workshop room (scripts/room/): the record a learner publishes, where it
 * lives, how long, who can see and change it, and what an unreachable room
 * costs a lesson run. On ioredis-mock and on the real Redis; the ACL user only
 * on a redis-server this spec starts itself (never ACL SETUSER on 6379).
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { newLearnerId, roomKeys, type RoomKeys } from '../../scripts/room/keys.js';
import {
  connect,
  learnerClient,
  learnerTtlSeconds,
  lessonRecord,
  publishToRoom,
  readJoinedRoom,
  saveJoinedRoom,
  writeRecords,
  type JoinedRoom,
  type RoomRun,
} from '../../scripts/room/publish.js';
import { limits, parseLessonRecord, parseNameRecord, type LessonRecord } from '../../scripts/room/record.js';
import { dashboardApp, startDashboard } from '../../scripts/room/server.js';
import { createRoom, endRoom, maxLearners, readLearner, readLearners, type CreatedRoom } from '../../scripts/room/store.js';
import { roomView } from '../../scripts/room/view.js';
import { freePort, hasRedisServer, startRedisServer, type ThrowawayRedis } from '../support/redis-server.js';
import { backend, createClient, onRealRedis, redisUrl } from '../support/redis.js';

const lessonNumbers = [1, 2];
const lessonList = [
  { number: 1, title: 'one' },
  { number: 2, title: 'two' },
];

/** A run as the runner hands it over: lesson 1, one exercise with two of three tests passing. */
function run(lesson: number, failing: string[], passing = 2, file = 'cache-key.ts'): RoomRun {
  return {
    lesson: { number: lesson },
    exercises: [
      {
        file,
        passed: passing,
        failed: failing.length,
        tests: [...failing.map((name) => ({ name, state: 'failed' })), ...Array.from({ length: passing }, (_, i) => ({ name: `ok ${i}`, state: 'passed' }))],
        errors: [],
      },
    ],
  };
}

const learner = (code: string, name: string): JoinedRoom => ({ code, name, learnerId: newLearnerId(), redisUrl: 'redis://unused', published: {} });

describe('the record a learner publishes', () => {
  it('holds the lesson, passing/total per exercise, the failing specs and a time, nothing else', () => {
    const record = lessonRecord(run(1, ['cacheKey > keys dates by their instant']), undefined, 1_000);
    expect(record).toEqual({
      v: 1,
      lesson: 1,
      exercises: [{ file: 'cache-key.ts', passed: 2, total: 3 }],
      failing: [{ file: 'cache-key.ts', test: 'cacheKey > keys dates by their instant', since: 1_000 }],
      at: 1_000,
    });
  });

  it('keeps the time a spec began to fail while it keeps failing, and forgets it once it passes', () => {
    const first = lessonRecord(run(1, ['a', 'b']), undefined, 1_000);
    const second = lessonRecord(run(1, ['a', 'c']), first, 5_000);
    expect(second.failing).toEqual([
      { file: 'cache-key.ts', test: 'a', since: 1_000 },
      { file: 'cache-key.ts', test: 'c', since: 5_000 },
    ]);
  });

  it('a run of one exercise updates its part and keeps the others as published before, in the lesson order', () => {
    const lesson = { number: 1, files: ['cache-key.ts', 'memoize.ts'] };
    const all = lessonRecord({ lesson, exercises: [...run(1, ['k'], 1, 'cache-key.ts').exercises, ...run(1, ['m'], 1, 'memoize.ts').exercises] }, undefined, 1_000);
    const one = lessonRecord({ lesson, exercises: run(1, [], 3, 'memoize.ts').exercises }, all, 9_000);
    expect(one.exercises).toEqual([
      { file: 'cache-key.ts', passed: 1, total: 2 },
      { file: 'memoize.ts', passed: 3, total: 3 },
    ]);
    expect(one.failing).toEqual([{ file: 'cache-key.ts', test: 'k', since: 1_000 }]);
  });

  it('names a spec that could not run at all (a syntax error), without its error message or stack', () => {
    const broken = run(1, []);
    broken.exercises[0]!.errors = [{ message: 'SyntaxError at /home/ann/secret/project.ts:3', stack: 'at /home/ann' }];
    const record = lessonRecord(broken, undefined, 1);
    expect(record.failing.map((f) => f.test)).toEqual(['the spec could not run (a syntax error or a failing import?)']);
    expect(JSON.stringify(record)).not.toContain('/home/ann');
  });

  it('trims long spec names and keeps at most limits.failing of them', () => {
    const names = Array.from({ length: 30 }, (_, i) => `${'x'.repeat(500)} ${i}`);
    const record = lessonRecord(run(1, names), undefined, 1);
    expect(record.failing).toHaveLength(limits.failing);
    expect([...record.failing[0]!.test].length).toBe(limits.spec);
  });

  it('the dashboard refuses garbage, a record for another lesson, and a value cut off at limits.bytes', () => {
    const good: LessonRecord = { v: 1, lesson: 2, exercises: [{ file: 'a.ts', passed: 1, total: 2 }], failing: [], at: 5 };
    expect(parseLessonRecord(JSON.stringify(good), 2)).toEqual(good);
    expect(parseLessonRecord(JSON.stringify(good), 1)).toBeNull();
    expect(parseLessonRecord('not json', 2)).toBeNull();
    expect(parseLessonRecord(JSON.stringify({ ...good, exercises: [{ file: 'a.ts', passed: 3, total: 2 }] }), 2)).toBeNull();
    expect(parseLessonRecord(JSON.stringify({ ...good, exercises: [{ file: 'a.ts', passed: NaN, total: 2 }] }), 2)).toBeNull();
    expect(parseLessonRecord(JSON.stringify({ ...good, pad: 'x'.repeat(limits.bytes) }).slice(0, limits.bytes), 2)).toBeNull();
    expect(parseNameRecord(JSON.stringify({ v: 1, name: '   ', at: 1 }))).toBeNull();
  });

  it('keeps a hostile name as text, one line, at most limits.name characters', () => {
    const xss = '<img src=x onerror=alert(1)>';
    expect(parseNameRecord(JSON.stringify({ v: 1, name: xss, at: 1 }))?.name).toBe(xss);
    expect(parseNameRecord(JSON.stringify({ v: 1, name: 'Ann\n\u0000\u202eBob', at: 1 }))?.name).toBe('Ann \u202eBob');
    expect([...parseNameRecord(JSON.stringify({ v: 1, name: 'é'.repeat(100), at: 1 }))!.name]).toHaveLength(limits.name);
  });
});

describe('the dashboard view', () => {
  const state = (name: string, records: LessonRecord[], seenAt: number) => ({
    id: newLearnerId(),
    name,
    lessons: new Map(records.map((r) => [r.lesson, r])),
    seenAt,
  });
  const rec = (lesson: number, failing: Array<[string, number]>, at: number, passed = 1, total = 2): LessonRecord => ({
    v: 1,
    lesson,
    exercises: [{ file: 'f.ts', passed: failing.length === 0 ? total : passed, total }],
    failing: failing.map(([test, since]) => ({ file: 'f.ts', test, since })),
    at,
  });

  it('shows done, started with counts, and not started', () => {
    const view = roomView('c', lessonList, [state('Ann', [rec(1, [], 10), rec(2, [['t', 10]], 20)], 20)], { now: 20, stuckAfterMs: 60_000 });
    expect(view.learners[0]!.cells).toEqual([{ state: 'done', total: 2 }, { state: 'started', passed: 1, total: 2 }]);
    const fresh = roomView('c', lessonList, [state('Bob', [], 0)], { now: 0, stuckAfterMs: 60_000 });
    expect(fresh.learners[0]!.cells).toEqual([{ state: 'none' }, { state: 'none' }]);
  });

  it('ranks the specs that hold up most learners in the lesson they ran last', () => {
    const view = roomView(
      'c',
      lessonList,
      [
        state('Ann', [rec(1, [['old', 1]], 1), rec(2, [['hard', 5]], 5)], 5),
        state('Bob', [rec(2, [['hard', 5], ['easy', 5]], 5)], 5),
        state('Cy', [rec(2, [['easy', 5], ['hard', 5]], 6)], 6),
      ],
      { now: 6, stuckAfterMs: 60_000 },
    );
    expect(view.mostFailing.map((f) => [f.test, f.learners])).toEqual([
      ['hard', 3],
      ['easy', 2],
    ]);
  });

  it('takes the first unfinished lesson of a batch run (progress --verify) as the one a learner works on', () => {
    const view = roomView('c', lessonList, [state('Ann', [rec(1, [], 7), rec(2, [['t2', 7]], 7)], 7)], { now: 7, stuckAfterMs: 60_000 });
    expect(view.mostFailing.map((f) => f.test)).toEqual(['t2']);
  });

  it('marks a learner stuck once the same spec has failed for stuckAfterMs, counting time since the dashboard saw it', () => {
    const ann = state('Ann', [rec(1, [['t', 0]], 4 * 60_000)], 100_000);
    const before = roomView('c', lessonList, [ann], { now: 100_000 + 5 * 60_000, stuckAfterMs: 10 * 60_000 });
    expect(before.stuck).toEqual([]);
    const after = roomView('c', lessonList, [ann], { now: 100_000 + 6 * 60_000, stuckAfterMs: 10 * 60_000 });
    expect(after.stuck).toEqual([{ name: 'Ann', lesson: 1, file: 'f.ts', test: 't', minutes: 10 }]);
    expect(after.learners[0]!.stuck).toBe(true);
  });
});

describe(`the room in Redis (${backend})`, () => {
  let redis: Redis;
  const rooms: CreatedRoom[] = [];
  beforeAll(async () => {
    redis = createClient();
    if (backend === 'real') await redis.connect();
  });
  afterEach(async () => {
    for (const room of rooms.splice(0)) await endRoom(redis, room.keys, room.secret);
  });
  afterAll(() => redis.disconnect());

  const newRoom = async (ttlSeconds = 3_600) => {
    const room = await createRoom(redis, redisUrl, { ttlSeconds, acl: false });
    rooms.push(room);
    return room;
  };

  it('a published record reads back as the dashboard trusts it, under the room prefix only', async () => {
    const room = await newRoom();
    const ann = learner(room.keys.code, 'Ann');
    const record = lessonRecord(run(1, ['t']), undefined, 1_000);
    await writeRecords(redis, ann, [record], 1_000);
    const read = await readLearner(redis, room.keys, ann.learnerId, lessonNumbers);
    expect(read?.name).toBe('Ann');
    expect(read?.lessons.get(1)).toEqual(record);
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${room.keys.prefix}*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    expect(keys.sort()).toEqual([room.keys.learnerLesson(ann.learnerId, 1), room.keys.learnerName(ann.learnerId), room.keys.meta].sort());
  });

  it('gives the room its TTL and each learner key a TTL of its own', async () => {
    const room = await newRoom(600);
    const ann = learner(room.keys.code, 'Ann');
    await writeRecords(redis, ann, [lessonRecord(run(1, []), undefined, 1)], 1);
    const metaTtl = await redis.ttl(room.keys.meta);
    expect(metaTtl).toBeGreaterThan(590);
    expect(metaTtl).toBeLessThanOrEqual(600);
    expect(await redis.ttl(room.keys.learnerLesson(ann.learnerId, 1))).toBeGreaterThan(learnerTtlSeconds - 10);
    expect(await redis.ttl(room.keys.learnerName(ann.learnerId))).toBeGreaterThan(learnerTtlSeconds - 10);
  });

  it('refuses a TTL under a minute or over a week', async () => {
    await expect(createRoom(redis, redisUrl, { ttlSeconds: 10, acl: false })).rejects.toThrow(/between a minute and a week/);
    await expect(createRoom(redis, redisUrl, { ttlSeconds: Number.NaN, acl: false })).rejects.toThrow(/between a minute and a week/);
  });

  it('keeps rooms apart: a learner of one room is not in another, and ending one leaves the other', async () => {
    const a = await newRoom();
    const b = await newRoom();
    const ann = learner(a.keys.code, 'Ann');
    const bob = learner(b.keys.code, 'Bob');
    await writeRecords(redis, ann, [], 1);
    await writeRecords(redis, bob, [], 1);
    expect((await readLearners(redis, a.keys, lessonNumbers)).map((l) => l.name)).toEqual(['Ann']);
    expect((await readLearners(redis, b.keys, lessonNumbers)).map((l) => l.name)).toEqual(['Bob']);
    await endRoom(redis, a.keys, a.secret);
    expect(await readLearners(redis, a.keys, lessonNumbers)).toEqual([]);
    expect((await readLearners(redis, b.keys, lessonNumbers)).map((l) => l.name)).toEqual(['Bob']);
  });

  it('keeps learners apart: two learners with the same name are two rows, and one run does not touch the other', async () => {
    const room = await newRoom();
    const ann1 = learner(room.keys.code, 'Ann');
    const ann2 = learner(room.keys.code, 'Ann');
    await writeRecords(redis, ann1, [lessonRecord(run(1, []), undefined, 1)], 1);
    await writeRecords(redis, ann2, [lessonRecord(run(1, ['t']), undefined, 2)], 2);
    const learners = await readLearners(redis, room.keys, lessonNumbers);
    expect(learners).toHaveLength(2);
    expect((await readLearner(redis, room.keys, ann1.learnerId, lessonNumbers))?.lessons.get(1)?.failing).toEqual([]);
  });

  it('end removes exactly the room: a key beside its prefix survives, and a wrong secret removes nothing', async () => {
    const room = await newRoom();
    const neighbour = `cachelings:room:${room.keys.code}x:meta`; // shares the text, not the prefix
    await redis.set(neighbour, 'keep', 'EX', 60);
    try {
      await writeRecords(redis, learner(room.keys.code, 'Ann'), [], 1);
      await expect(endRoom(redis, room.keys, 'wrong')).rejects.toThrow(/secret does not match/);
      expect(await redis.exists(room.keys.meta)).toBe(1);
      expect(await endRoom(redis, room.keys, room.secret)).toBe(2); // meta and Ann's name
      expect(await redis.get(neighbour)).toBe('keep');
    } finally {
      await redis.del(neighbour);
    }
  });

  it('does not read a huge or foreign value a learner wrote: the lesson is shown as not started', async () => {
    const room = await newRoom();
    const ann = learner(room.keys.code, 'Ann');
    await writeRecords(redis, ann, [], 1);
    await redis.set(room.keys.learnerLesson(ann.learnerId, 1), 'x'.repeat(1_000_000), 'EX', 60);
    await redis.hset(room.keys.learnerLesson(ann.learnerId, 2), 'a', '1');
    await redis.expire(room.keys.learnerLesson(ann.learnerId, 2), 60);
    const read = await readLearner(redis, room.keys, ann.learnerId, lessonNumbers);
    expect(read?.name).toBe('Ann');
    expect(read?.lessons.size).toBe(0);
  });

  it('says why there is no learner user when ACLs are off', async () => {
    const room = await newRoom();
    expect(room.acl).toEqual({ ok: false, reason: 'turned off with --no-acl' });
    expect(room.learnerUrl).toBe(redisUrl);
  });

  it('the dashboard shows a learner live: a write on the channel reaches the view without a reload', async () => {
    const room = await newRoom();
    const subscriber = redis.duplicate();
    const dashboard = await startDashboard({ redis, subscriber, keys: room.keys, secret: room.secret, lessons: lessonList, stuckAfterMs: 60_000, flushMs: 20, tickMs: 1_000 });
    try {
      const view = async () => (await (await fetch(`http://127.0.0.1:${dashboard.port}/view?key=${room.secret}`)).json()) as ReturnType<typeof roomView>;
      expect((await view()).learners).toEqual([]);
      await writeRecords(redis, learner(room.keys.code, 'Ann'), [lessonRecord(run(2, ['t']), undefined, 1)], 1);
      await vi.waitFor(async () => expect((await view()).learners.map((l) => l.name)).toEqual(['Ann']), { timeout: 3_000, interval: 30 });
      expect((await view()).mostFailing).toEqual([{ lesson: 2, file: 'cache-key.ts', test: 't', learners: 1 }]);
    } finally {
      await dashboard.close();
      subscriber.disconnect();
    }
  });
});

describe('the dashboard over HTTP', () => {
  const keys = roomKeys('abcdefghjk');
  const app = () =>
    dashboardApp({ redis: createClient(), subscriber: createClient(), keys, secret: 's3cret', lessons: lessonList, stuckAfterMs: 60_000 }).app;

  it('serves the room only to the instructor secret', async () => {
    expect((await app().request('/events')).status).toBe(403);
    expect((await app().request('/view?key=wrong')).status).toBe(403);
    const res = await app().request('/view?key=s3cret');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { code: string }).code).toBe('abcdefghjk');
  });

  it('reads each learner once per flush however often they publish, and follows at most maxLearners', async () => {
    const subscriber = new EventEmitter();
    const room = dashboardApp({ redis: createClient(), subscriber: subscriber as unknown as Redis, keys, secret: 's3cret', lessons: lessonList, stuckAfterMs: 60_000 });
    const id = newLearnerId();
    for (let i = 0; i < 1_000; i++) subscriber.emit('message', keys.channel, id);
    subscriber.emit('message', keys.channel, 'not-an-id');
    subscriber.emit('message', 'another:channel', newLearnerId());
    expect([...room.dirty]).toEqual([id]);
    for (let i = 0; i < 5 * maxLearners; i++) subscriber.emit('message', keys.channel, newLearnerId());
    expect(room.dirty.size).toBe(maxLearners);
  });

  it('sends a page that runs no inline script and loads nothing from elsewhere', async () => {
    const res = await app().request('/');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).not.toMatch(/<script>(?!<)|https?:\/\//);
    const script = await (await app().request('/room.js')).text();
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});

describe('publishing from a lesson run', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cachelings-room-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('costs nothing when no room is joined', async () => {
    const log = vi.fn();
    expect(await publishToRoom([run(1, [])], { file: path.join(dir, 'none.json'), log })).toBe('not joined');
    expect(log).not.toHaveBeenCalled();
  });

  it('skips a room that accepts the connection and never answers, with one line, within the timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket)); // a hung Redis: TCP yes, replies never
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    const file = path.join(dir, 'silent.json');
    saveJoinedRoom({ ...learner('abcdefghjk', 'Ann'), redisUrl: `redis://127.0.0.1:${port}` }, file);
    const log = vi.fn();
    try {
      const started = performance.now();
      expect(await publishToRoom([run(1, ['t'])], { file, log, timeoutMs: 300 })).toBe('skipped');
      expect(performance.now() - started).toBeLessThan(300 + 700);
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0]![0]).toMatch(/not reachable \(no answer within 300 ms\); this run was not published/);
      // The record is still remembered: when the spec began to fail survives an unreachable room.
      expect(readJoinedRoom(file)?.published['1']?.failing[0]?.test).toBe('t');
    } finally {
      sockets.forEach((s) => s.destroy());
      silent.close();
    }
  });

  it('skips a refused connection at once with one line', async () => {
    const file = path.join(dir, 'refused.json');
    saveJoinedRoom({ ...learner('abcdefghjk', 'Ann'), redisUrl: `redis://127.0.0.1:${await freePort()}` }, file);
    const log = vi.fn();
    expect(await publishToRoom([run(1, [])], { file, log, timeoutMs: 1_000 })).toBe('skipped');
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]![0]).toMatch(/not reachable \(.*ECONNREFUSED/);
  });
});

describe('the per-room learner user (a redis-server of this spec)', () => {
  const realOnly = hasRedisServer ? onRealRedis('the ACL user needs a real redis-server (this spec starts its own)') : onRealRedis('no redis-server binary');
  let server: ThrowawayRedis | undefined;
  let admin: Redis;
  let room: CreatedRoom;
  let other: CreatedRoom;
  let dir: string;
  beforeAll(async () => {
    if (backend !== 'real' || !hasRedisServer) return;
    server = await startRedisServer();
    admin = new Redis(server.url);
    room = await createRoom(admin, server.url, { ttlSeconds: 600 });
    other = await createRoom(admin, server.url, { ttlSeconds: 600 });
    dir = mkdtempSync(path.join(tmpdir(), 'cachelings-room-acl-'));
  }, 20_000);
  afterAll(async () => {
    if (!server) return;
    admin.disconnect();
    await server.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const asLearner = async (created: CreatedRoom) => {
    const client = await learnerClient(created.learnerUrl, 2_000);
    await connect(client);
    return client;
  };

  realOnly('is created by start, write-only on the learner keys of its room and publish-only on its channel', async () => {
    expect(room.acl).toEqual({ ok: true, user: room.keys.aclUser, keys: `%W~${room.keys.learnerPattern}` });
    const reply = (await admin.call('ACL', 'GETUSER', room.keys.aclUser)) as unknown[];
    const rules = new Map<string, unknown>();
    for (let i = 0; i < reply.length; i += 2) rules.set(String(reply[i]), reply[i + 1]);
    expect(String(rules.get('commands')).split(' ').sort()).toEqual(['+ping', '+publish', '+set', '-@all']);
    expect(rules.get('keys')).toBe(`%W~${room.keys.learnerPattern}`);
    expect(rules.get('channels')).toBe(`&${room.keys.channel}`);
  });

  realOnly('lets a learner publish a lesson run, which the dashboard reads', async () => {
    const file = path.join(dir, 'ann.json');
    const ann = { ...learner(room.keys.code, 'Ann'), redisUrl: room.learnerUrl };
    saveJoinedRoom(ann, file);
    expect(await publishToRoom([run(1, ['t'])], { file, log: () => {} })).toBe('published');
    expect((await readLearner(admin, room.keys, ann.learnerId, lessonNumbers))?.lessons.get(1)?.failing[0]?.test).toBe('t');
  });

  realOnly('refuses a learner everything else: reading, listing, deleting, the meta key, other rooms, other keys, subscribing', async () => {
    const client = await asLearner(room);
    const mine = room.keys.learnerName(newLearnerId());
    try {
      await expect(client.set(mine, '{}', 'EX', 60)).resolves.toBe('OK');
      const refused = [
        client.get(mine),
        client.set(mine, '{}', 'GET'), // SET ... GET would read: %W~ refuses it
        client.scan('0'),
        client.call('KEYS', '*'),
        client.del(mine),
        client.unlink(mine),
        client.expire(mine, 1),
        client.set(room.keys.meta, 'x'),
        client.set(other.keys.learnerName(newLearnerId()), 'x'),
        client.set('somebody:else', 'x'),
        client.publish(other.keys.channel, 'x'),
        client.call('FLUSHALL'),
        client.call('CONFIG', 'GET', '*'),
        client.call('ACL', 'LIST'),
      ];
      for (const attempt of refused) await expect(attempt).rejects.toThrow(/NOPERM/);
      await expect(client.subscribe(room.keys.channel)).rejects.toThrow(/NOPERM/);
    } finally {
      client.disconnect();
    }
  });

  realOnly('is not created where the instructor may not run ACL SETUSER, and start says why', async () => {
    await admin.call('ACL', 'SETUSER', 'no-acl-instructor', 'on', '>pw', '~*', '&*', '+@all', '-acl');
    const limited = new Redis(server!.url, { username: 'no-acl-instructor', password: 'pw' });
    try {
      const created = await createRoom(limited, server!.url, { ttlSeconds: 600 });
      expect(created.acl).toEqual({ ok: false, reason: expect.stringMatching(/NOPERM/) });
      expect(created.learnerUrl).toBe(server!.url);
      await endRoom(limited, created.keys, created.secret);
    } finally {
      limited.disconnect();
      await admin.call('ACL', 'DELUSER', 'no-acl-instructor');
    }
  });

  realOnly('is deleted by end: a learner who stays joined is refused from then on, with one line that says so', async () => {
    const file = path.join(dir, 'bob.json');
    saveJoinedRoom({ ...learner(other.keys.code, 'Bob'), redisUrl: other.learnerUrl }, file);
    expect(await publishToRoom([run(1, [])], { file, log: () => {} })).toBe('published');
    await endRoom(admin, other.keys, other.secret);
    expect(await admin.call('ACL', 'GETUSER', other.keys.aclUser)).toBeNull();
    const log = vi.fn();
    expect(await publishToRoom([run(1, [])], { file, log })).toBe('skipped');
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]![0]).toMatch(/refused this run \(WRONGPASS.*has it ended\? npm run room -- leave/);
  });
});

// The keys helpers refuse what is not a room code, so no command can aim outside a room's prefix.
it('refuses a room code that could widen the prefix (globs, colons, spaces)', () => {
  for (const bad of ['*', 'abc:def:gh', 'abcdefghj?', 'ABCDEFGHJK', 'abcdefghjk ', '']) {
    expect(() => roomKeys(bad), bad).toThrow(/not a room code/);
  }
  const keys: RoomKeys = roomKeys('abcdefghjk');
  expect(keys.learnerLesson('0'.repeat(32), 3)).toBe(`cachelings:room:abcdefghjk:learner:${'0'.repeat(32)}:lesson:03`);
});
