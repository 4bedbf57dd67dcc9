/**
 * npm run room -- start [--ttl 24h] [--stuck-after 10m] [--port 4410] [--lan] [--no-acl] [--new]
 * npm run room -- join CODE --name "Ann" [--redis URL]
 * npm run room -- leave
 * npm run room -- end
 *
 * A workshop room on the Redis everyone shares (REDIS_URL, or --redis): the
 * instructor starts it and keeps a dashboard open; learners join, and from then
 * on every `npm run lesson N` publishes a small record the dashboard shows live.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from './lib/args.js';
import { Redis } from 'ioredis';
import { lessons } from '../manifest.js';
import { redisUrl as defaultRedisUrl } from './lib/probe.js';
import { bold, cyan, dim, fail, green, yellow } from './lib/ui.js';
import { root } from './lib/vitest-config.js';
import { codePattern, newLearnerId, roomKeys } from './room/keys.js';
import { connect, forgetJoinedRoom, learnerClient, readJoinedRoom, roomFile, saveJoinedRoom, writeRecords, type JoinedRoom } from './room/publish.js';
import { cleanText, limits } from './room/record.js';
import { startDashboard } from './room/server.js';
import { createRoom, endRoom, joinProblem, readMeta, redisAddress, removeStaleLearnerUsers, secretMatches } from './room/store.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    redis: { type: 'string' },
    ttl: { type: 'string', default: '24h' },
    'stuck-after': { type: 'string', default: '10m' },
    port: { type: 'string', default: '4410' },
    host: { type: 'string' },
    lan: { type: 'boolean', default: false },
    'no-acl': { type: 'boolean', default: false },
    new: { type: 'boolean', default: false },
  },
});

/** What the instructor's machine remembers: the room it started and its secret (git-ignored). */
interface HostedRoom {
  code: string;
  secret: string;
  redisUrl: string;
  joinCommand: string;
}
const hostFile = process.env.CACHELINGS_ROOM_HOST_FILE ?? path.join(root, '.cachelings', 'room-host.json');

/** "90s", "10m", "2h", "1d"; a bare number is minutes. */
function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)?$/.exec(text.trim());
  if (!match) fail(`--${option} takes a duration like 90s, 10m, 2h or 1d; got "${text}"`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? 'm') as 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(match[1]) * unit);
}

async function instructorClient(url: string): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 1 });
  try {
    await connect(client);
  } catch (error) {
    client.disconnect();
    fail(`Redis at ${url} does not answer (${(error as Error).message}).\n  The room lives on the Redis everyone shares: set REDIS_URL or pass --redis redis://host:6379.`);
  }
  return client;
}

async function start(): Promise<void> {
  const url = values.redis ?? defaultRedisUrl();
  const stuckAfterMs = parseDuration(values['stuck-after']!, 'stuck-after');
  const ttlSeconds = Math.round(parseDuration(values.ttl!, 'ttl') / 1000);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port takes a port number; got "${values.port}"`);
  const host = values.host ?? (values.lan ? '0.0.0.0' : '127.0.0.1');

  const redis = await instructorClient(url);
  let hosted = existsSync(hostFile) ? (JSON.parse(readFileSync(hostFile, 'utf8')) as HostedRoom) : null;
  const meta = hosted && !values.new && hosted.redisUrl === url ? await readMeta(redis, roomKeys(hosted.code)) : null;
  if (hosted && meta && secretMatches(hosted.secret, meta)) {
    console.log(`${bold(`Room ${hosted.code}`)} is still open (until ${new Date(meta.expiresAt).toLocaleString()}): its dashboard again. ${dim('A new room: --new')}`);
  } else {
    const removed = await removeStaleLearnerUsers(redis);
    if (removed.length > 0) console.log(dim(`Removed the learner users of ${removed.length} expired room(s).`));
    let created;
    try {
      created = await createRoom(redis, url, { ttlSeconds, acl: !values['no-acl'] });
    } catch (error) {
      fail((error as Error).message);
    }
    const joinCommand = `npm run room -- join ${created.keys.code} --name "Your name" --redis '${created.learnerUrl}'`;
    hosted = { code: created.keys.code, secret: created.secret, redisUrl: url, joinCommand };
    mkdirSync(path.dirname(hostFile), { recursive: true });
    writeFileSync(hostFile, `${JSON.stringify(hosted, null, 2)}\n`, { mode: 0o600 });
    console.log(`${bold(`Room ${created.keys.code}`)} is open until ${new Date(created.meta.expiresAt).toLocaleString()} on ${url}.`);
    if (created.acl.ok) {
      console.log(green(`✓ Learners connect as the ACL user ${created.acl.user}: SET under ${created.keys.learnerPattern} and PUBLISH on the room's channel, nothing else.`));
    } else {
      console.log(yellow(`! No per-room learner user (${created.acl.reason}).`));
      console.log(yellow('  Learners join with your REDIS_URL: they can read, change and delete anything on this Redis, other learners\' records included.'));
    }
  }
  if (/127\.0\.0\.1|localhost|\[::1\]/.test(hosted.joinCommand)) {
    console.log(yellow('! The Redis address is local to this machine: in the join command, give learners an address they can reach.'));
  }
  console.log(`\nLearners run:\n  ${cyan(hosted.joinCommand)}\n`);

  const subscriber = redis.duplicate();
  const dashboard = await startDashboard({
    redis,
    subscriber,
    keys: roomKeys(hosted.code),
    secret: hosted.secret,
    lessons: lessons.map((l) => ({ number: l.number, title: l.title })),
    stuckAfterMs,
    host,
    port,
  });
  console.log(`Dashboard: ${cyan(dashboard.url)}`);
  console.log(dim(host === '127.0.0.1' ? 'Only this machine can open it (--lan serves it on the network).' : `Served on ${host}: anyone with the address (and its #secret) can open it.`));
  console.log(dim('Ctrl+C stops the dashboard; the room stays until `npm run room -- end` or its TTL.'));
  const stop = async () => {
    await dashboard.close();
    subscriber.disconnect();
    redis.disconnect();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

async function join(): Promise<void> {
  const code = positionals[1] ?? '';
  if (!codePattern.test(code)) fail(`join takes the room code the instructor gave you: npm run room -- join CODE --name "Your name"; got "${code}"`);
  const name = cleanText(values.name, limits.name);
  if (!name) fail(`join needs your name as the instructor should see it: --name "Ann" (up to ${limits.name} characters)`);
  const url = values.redis ?? defaultRedisUrl();
  const previous = readJoinedRoom();
  const room: JoinedRoom = {
    code,
    name,
    // Rejoining the same room keeps your id, so the dashboard shows one row for you.
    learnerId: previous?.code === code ? previous.learnerId : newLearnerId(),
    redisUrl: url,
    published: previous?.code === code ? previous.published : {},
  };
  const client = await learnerClient(url, 3_000);
  const where = redisAddress(url);
  const wholeCommand = 'Copy the whole join command the instructor gave you: its --redis part says where the room is.';
  try {
    await connect(client);
    // Before anything is written: a room that has ended, or lives on another Redis, is not joined.
    const problem = await joinProblem(client, roomKeys(code), client.credentials);
    if (problem) {
      const own = values.redis === undefined ? `\n  Without --redis, join looked on ${where}${process.env.REDIS_URL ? ' (REDIS_URL)' : ', your own Redis'}.` : '';
      fail(`Not joined: ${problem}.${own}\n  ${wholeCommand}`);
    }
    await writeRecords(client, room, [], Date.now());
  } catch (error) {
    const message = cleanText((error as Error).message, 160);
    if (/WRONGPASS|NOAUTH|invalid username-password/i.test(message)) {
      fail(`Not joined: room ${code} has ended (its learner user is gone from ${where}), or the command is not the one it printed.\n  Ask the instructor for the current join command.`);
    }
    fail(`Could not join room ${code} (${message}).\n  ${wholeCommand} Check that this machine reaches ${where}.`);
  } finally {
    client.disconnect();
  }
  saveJoinedRoom(room);
  console.log(green(`✓ You are in room ${code} as ${name}.`));
  console.log(`Every ${cyan('npm run lesson N')} now tells the instructor's dashboard how far you are: the lesson, passing/total per exercise and the names of failing specs, never your code.`);
  console.log(dim(`Stop with: npm run room -- leave  (saved in ${path.relative(root, roomFile())})`));
}

function leave(): void {
  const room = readJoinedRoom();
  forgetJoinedRoom();
  console.log(room ? `You left room ${room.code}: lesson runs are no longer published.` : 'You are not in a room.');
}

async function end(): Promise<void> {
  if (!existsSync(hostFile)) fail(`No room started on this machine (${path.relative(root, hostFile)} is missing): end runs where start ran.`);
  const hosted = JSON.parse(readFileSync(hostFile, 'utf8')) as HostedRoom;
  const redis = await instructorClient(values.redis ?? hosted.redisUrl);
  try {
    const removed = await endRoom(redis, roomKeys(hosted.code), hosted.secret);
    rmSync(hostFile);
    console.log(`Room ${hosted.code} ended: ${removed} key${removed === 1 ? '' : 's'} and its learner user deleted.`);
  } catch (error) {
    fail((error as Error).message);
  } finally {
    redis.disconnect();
  }
}

const command = positionals[0];
if (command === 'start') await start();
else if (command === 'join') await join();
else if (command === 'leave') leave();
else if (command === 'end') await end();
else fail(`npm run room -- start | join CODE --name "Ann" | leave | end${command ? ` (not "${command}")` : ''}`);
