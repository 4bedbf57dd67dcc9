/**
 * The instructor's side of the room in Redis: create it (with a per-room learner
 * user where the server has ACLs), read what learners wrote, end it. Every
 * command here names a key under the room's prefix, or the room's ACL user.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { learnerIdPattern, newRoomCode, newSecret, roomKeys, type RoomKeys } from './keys.js';
import { limits, parseLessonRecord, parseNameRecord, type LessonRecord } from './record.js';

export const defaultTtlSeconds = 24 * 60 * 60;
/** The dashboard follows at most this many learners: a flood of made-up ids cannot grow it without bound. */
export const maxLearners = 200;

export interface RoomMeta {
  v: 1;
  created: number;
  expiresAt: number;
  /** sha256 of the instructor secret: `room end` and the dashboard check against it; the secret itself is never stored. */
  secretSha256: string;
}

export type AclOutcome = { ok: true; user: string; keys: string } | { ok: false; reason: string };

export interface CreatedRoom {
  keys: RoomKeys;
  secret: string;
  meta: RoomMeta;
  /** The URL learners join with: the learner user's credentials in it where ACLs work, else the instructor's URL. */
  learnerUrl: string;
  acl: AclOutcome;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function secretMatches(secret: string, meta: Pick<RoomMeta, 'secretSha256'>): boolean {
  const a = Buffer.from(sha256(secret), 'hex');
  const b = Buffer.from(meta.secretSha256, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A literal string made safe inside a SCAN MATCH pattern. */
export const escapeGlob = (literal: string) => literal.replace(/[*?[\]\\]/g, '\\$&');

export async function createRoom(redis: Redis, redisUrl: string, options: { ttlSeconds?: number; now?: number; acl?: boolean } = {}): Promise<CreatedRoom> {
  const ttlSeconds = options.ttlSeconds ?? defaultTtlSeconds;
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > 7 * 24 * 60 * 60) {
    throw new Error(`a room lives between a minute and a week; got --ttl ${ttlSeconds} s`);
  }
  const now = options.now ?? Date.now();
  const keys = roomKeys(newRoomCode());
  const secret = newSecret();
  const meta: RoomMeta = { v: 1, created: now, expiresAt: now + ttlSeconds * 1000, secretSha256: sha256(secret) };
  const created = await redis.set(keys.meta, JSON.stringify(meta), 'EX', ttlSeconds, 'NX');
  if (created !== 'OK') throw new Error(`room ${keys.code} exists already (a 1 in 10^15 chance): run the command again`);

  const acl = options.acl === false ? { ok: false as const, reason: 'turned off with --no-acl' } : await createLearnerUser(redis, keys);
  const learnerUrl = acl.ok ? withCredentials(redisUrl, acl.user, acl.password) : redisUrl;
  return { keys, secret, meta, learnerUrl, acl: acl.ok ? { ok: true, user: acl.user, keys: acl.keys } : acl };
}

/**
 * The learner user: may SET keys under <prefix>learner:* (write-only where the
 * server knows %W~, Redis 7+), PUBLISH on the room's channel, and PING. Nothing
 * else: no reading, no SCAN, no DEL, no SUBSCRIBE, no other key or channel.
 */
async function createLearnerUser(redis: Redis, keys: RoomKeys): Promise<{ ok: true; user: string; password: string; keys: string } | { ok: false; reason: string }> {
  if (typeof redis.call !== 'function') return { ok: false, reason: 'ioredis-mock has no ACL' };
  const password = randomBytes(24).toString('base64url');
  const rules = (keyRule: string) =>
    ['reset', 'on', `>${password}`, 'resetkeys', keyRule, 'resetchannels', `&${keys.channel}`, '-@all', '+set', '+publish', '+ping'];
  try {
    const writeOnly = `%W~${keys.learnerPattern}`;
    try {
      await redis.call('ACL', 'SETUSER', keys.aclUser, ...rules(writeOnly));
      return { ok: true, user: keys.aclUser, password, keys: writeOnly };
    } catch (error) {
      if (!/syntax|%/i.test((error as Error).message)) throw error;
      const readWrite = `~${keys.learnerPattern}`; // Redis 6: no write-only key rules
      await redis.call('ACL', 'SETUSER', keys.aclUser, ...rules(readWrite));
      return { ok: true, user: keys.aclUser, password, keys: readWrite };
    }
  } catch (error) {
    return { ok: false, reason: (error as Error).message.split('\n')[0] ?? 'ACL SETUSER failed' };
  }
}

function withCredentials(redisUrl: string, user: string, password: string): string {
  const url = new URL(redisUrl);
  url.username = encodeURIComponent(user);
  url.password = encodeURIComponent(password);
  return url.toString();
}

/** A Redis URL without its credentials, to show: "redis://10.0.0.5:6379". */
export function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'that Redis';
  }
}

/**
 * Why a learner may not join this room on this connection, or null when they may.
 * The room must exist there: its meta key, where the connection may read it; a
 * learner user may not (it can only SET and PUBLISH), but it exists only while
 * its room does (end deletes it), and its name is the room's.
 */
export async function joinProblem(client: Pick<Redis, 'exists'>, keys: RoomKeys, credentials: string[] = []): Promise<string | null> {
  const user = credentials.length === 2 ? credentials[0] : undefined;
  if (user !== undefined && user.startsWith('cachelings-room-') && user !== keys.aclUser) {
    return `the code ${keys.code} and the --redis address belong to two different rooms (that address is for ${user.slice('cachelings-room-'.length)})`;
  }
  try {
    if ((await client.exists(keys.meta)) === 1) return null;
    return `there is no room ${keys.code} on this Redis: it has ended or expired, or it lives on another Redis`;
  } catch (error) {
    if (/NOPERM/.test((error as Error).message)) return null; // the room's own learner user: the room exists
    throw error;
  }
}

export async function readMeta(redis: Redis, keys: RoomKeys): Promise<RoomMeta | null> {
  const raw = await redis.get(keys.meta);
  if (raw === null) return null;
  const meta = JSON.parse(raw) as RoomMeta;
  return meta.v === 1 ? meta : null;
}

export interface LearnerState {
  id: string;
  name: string;
  /** By lesson number. */
  lessons: Map<number, LessonRecord>;
}

/** Every learner of the room as the dashboard trusts them (SCAN under the prefix, never KEYS). */
export async function readLearners(redis: Redis, keys: RoomKeys, lessonNumbers: number[]): Promise<LearnerState[]> {
  const ids = new Set<string>();
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${escapeGlob(keys.prefix)}learner:*:name`, 'COUNT', 500);
    cursor = next;
    for (const key of found) {
      const id = key.slice(keys.prefix.length + 'learner:'.length, -':name'.length);
      if (learnerIdPattern.test(id) && ids.size < maxLearners) ids.add(id);
    }
  } while (cursor !== '0');
  const learners = await Promise.all([...ids].map((id) => readLearner(redis, keys, id, lessonNumbers)));
  return learners.filter((l): l is LearnerState => l !== null);
}

/** One learner, or null when their name record is gone or garbage. Reads no value longer than limits.bytes. */
export async function readLearner(redis: Redis, keys: RoomKeys, id: string, lessonNumbers: number[]): Promise<LearnerState | null> {
  if (!learnerIdPattern.test(id)) return null;
  const names = [keys.learnerName(id), ...lessonNumbers.map((n) => keys.learnerLesson(id, n))];
  // STRLEN first: a learner can write a huge value, and the dashboard should not read it (it is 0 for a missing key).
  const lengths = await exec(names.reduce((batch, key) => batch.strlen(key), redis.pipeline()));
  const wanted = names.filter((_, i) => {
    const length = Number(lengths[i]);
    return length > 0 && length < limits.bytes;
  });
  const values = wanted.length > 0 ? await exec(wanted.reduce((batch, key) => batch.getrange(key, 0, limits.bytes - 1), redis.pipeline())) : [];
  const raw = new Map(wanted.map((key, i) => [key, typeof values[i] === 'string' ? (values[i] as string) : null]));
  const name = parseNameRecord(raw.get(names[0]!) ?? null);
  if (!name) return null;
  const lessons = new Map<number, LessonRecord>();
  lessonNumbers.forEach((n, i) => {
    const record = parseLessonRecord(raw.get(names[i + 1]!) ?? null, n);
    if (record) lessons.set(n, record);
  });
  return { id, name: name.name, lessons };
}

/** A pipeline's values; a command that failed (a key of another type) reads as null. */
async function exec(batch: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  return ((await batch.exec()) ?? []).map(([error, value]) => (error ? null : value));
}

/** Deletes every key of the room and its learner user. The secret must match the room's. */
export async function endRoom(redis: Redis, keys: RoomKeys, secret: string): Promise<number> {
  const meta = await readMeta(redis, keys);
  if (meta && !secretMatches(secret, meta)) throw new Error(`the instructor secret does not match room ${keys.code}`);
  let removed = 0;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${escapeGlob(keys.prefix)}*`, 'COUNT', 1000);
    cursor = next;
    if (found.length > 0) removed += await redis.unlink(...found);
  } while (cursor !== '0');
  try {
    await redis.call('ACL', 'DELUSER', keys.aclUser);
  } catch {
    // no ACL on this server (or the mock), or no permission to change it: there was no learner user
  }
  return removed;
}

/** Learner users of rooms that have expired on their own (their meta is gone): ACL users do not expire with keys. */
export async function removeStaleLearnerUsers(redis: Redis): Promise<string[]> {
  let users: string[];
  try {
    users = (await redis.call('ACL', 'USERS')) as string[];
  } catch {
    return [];
  }
  const stale: string[] = [];
  for (const user of users) {
    const code = /^cachelings-room-(.+)$/.exec(user)?.[1];
    if (!code) continue;
    try {
      if ((await redis.exists(roomKeys(code).meta)) === 0) stale.push(user);
    } catch {
      // not one of ours after all
    }
  }
  if (stale.length > 0) await redis.call('ACL', 'DELUSER', ...stale);
  return stale;
}
