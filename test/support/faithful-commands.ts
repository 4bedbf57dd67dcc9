/**
 * ioredis-mock answers where Redis refuses, so a spec that passes on the mock
 * can hide a bug that a real server shows at once. This gives a mock client
 * Redis's answers for the commands the lessons use:
 * - WRONGTYPE: GET on a LIST, LLEN on a string, HSET on a string… The mock
 *   returns the list itself for GET, and turns a string into a hash for HSET.
 * - RENAMENX / RENAME of a key that does not exist: `ERR no such key` (the
 *   mock answers 1 and creates nothing).
 * - SET's options: an unknown option (`SET k v "" 60`) is a syntax error, and
 *   an expiry must be a whole number within what Redis stores (EX 1e20 and
 *   EX 1.5 are `ERR value is not an integer or out of range`, EX 0 `ERR invalid
 *   expire time`); the mock stores the key without a TTL. EXPIRE likewise.
 * - Arity: RPUSH, LPUSH, DEL, UNLINK with a key and nothing else, or HSET
 *   with a field and no value, are `ERR wrong number of arguments` (the mock
 *   answers as if nothing was asked). Inside MULTI, Redis refuses such a
 *   command when it is queued and EXEC then discards the whole transaction
 *   (EXECABORT).
 * - MULTI and pipelines: a command that fails when it runs does not reject
 *   the whole EXEC; its slot in the answer holds the error and the others
 *   run, as on Redis. (The mock rejects EXEC with the first error.)
 * Lua scripts run the mock's own commands: what they do on foreign types is
 * checked on the real server only (the engine spec says which).
 * test/engine/faithful-commands.spec.ts runs the same expectations on both.
 */
import { ReplyError, type Redis } from 'ioredis';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const NOT_AN_INTEGER = 'ERR value is not an integer or out of range';

/** The fewest arguments each command takes, its name not counted. */
const minArgs: Record<string, number> = { rpush: 2, lpush: 2, del: 1, unlink: 1, hset: 3 };

/** The type each command needs at its first key. */
const keyType: Record<string, 'string' | 'list' | 'hash' | 'zset'> = {
  get: 'string',
  getBuffer: 'string',
  incr: 'string',
  llen: 'list',
  lindex: 'list',
  lindexBuffer: 'list',
  lrange: 'list',
  lrangeBuffer: 'list',
  rpush: 'list',
  lpush: 'list',
  hset: 'hash',
  hget: 'hash',
  hgetall: 'hash',
  hlen: 'hash',
  hdel: 'hash',
  zadd: 'zset',
  zrange: 'zset',
  zcard: 'zset',
  zremrangebyscore: 'zset',
};

interface MockInternals {
  data: { has(key: string): boolean; get(key: string): unknown };
}

type Emulator = (...args: unknown[]) => unknown;

interface MockPipeline {
  batch: Array<() => Promise<unknown>>;
  _addTransaction(emulator: Emulator, name: string, args: unknown[], callback?: unknown): void;
  exec(): Promise<Array<[Error | null, unknown]> | null>;
}

export function withFaithfulCommands(mock: Redis): Redis {
  const internals = mock as unknown as MockInternals & Record<string, unknown>;
  const check = (name: string, args: string[]) => refuseAsRedisWould(internals, name, args);

  for (const name of [...Object.keys(keyType), ...Object.keys(minArgs), 'set', 'expire', 'pexpire', 'rename', 'renamenx']) {
    const original = internals[name] as Emulator;
    internals[name] = (...args: unknown[]) => {
      try {
        // hset(key, { field: value }) and the like: ioredis flattens an object; count what it sends.
        check(name, args.flatMap((arg) => (Array.isArray(arg) ? arg : isObjectArgument(arg) ? Object.entries(arg).flat() : [arg])).map(String));
      } catch (error) {
        return Promise.reject(error);
      }
      return original(...args);
    };
  }

  for (const kind of ['multi', 'pipeline'] as const) {
    const original = (internals[kind] as (...args: unknown[]) => MockPipeline).bind(mock);
    internals[kind] = (...args: unknown[]) => faithfulPipeline(original(...args), check, kind === 'multi');
  }
  return mock;
}

function faithfulPipeline(pipeline: MockPipeline, check: (name: string, args: string[]) => void, transaction: boolean): MockPipeline {
  let discarded = false;
  const add = pipeline._addTransaction.bind(pipeline);
  pipeline._addTransaction = (emulator, name, args, callback) => {
    if (transaction && isArityError(name, args)) discarded = true; // refused when queued
    add((...emulatorArgs: unknown[]) => (check(name, emulatorArgs.map(String)), emulator(...emulatorArgs)), name, args, callback);
  };

  const exec = pipeline.exec.bind(pipeline);
  pipeline.exec = async () => {
    if (discarded) throw new ReplyError('EXECABORT Transaction discarded because of previous errors.');
    // Each command answers for itself: [error, undefined] or [null, reply].
    const settled = pipeline.batch.map((command) => () =>
      command().then(
        (reply) => ({ reply }),
        (error: unknown) => ({ error }),
      ),
    );
    pipeline.batch = settled;
    const replies = await exec();
    return (
      replies?.map(([, outcome]) => {
        const { reply, error } = outcome as { reply?: unknown; error?: Error };
        return error ? [error, undefined] : [null, reply];
      }) ?? null
    );
  };
  return pipeline;
}

function isObjectArgument(arg: unknown): arg is object {
  return typeof arg === 'object' && arg !== null && !Buffer.isBuffer(arg) && !Array.isArray(arg);
}

function isArityError(name: string, args: unknown[]): boolean {
  const fewest = minArgs[name];
  return fewest !== undefined && (args.length < fewest || (name === 'hset' && args.length % 2 === 0));
}

function refuseAsRedisWould(mock: MockInternals, name: string, args: string[]): void {
  if (isArityError(name, args)) throw new ReplyError(`ERR wrong number of arguments for '${name}' command`);
  const [key = ''] = args;
  const needs = keyType[name];
  if (needs) {
    const actual = typeOf(mock, key);
    if (actual !== 'none' && actual !== needs) throw new ReplyError(WRONGTYPE);
    if (name === 'incr' && actual === 'string' && !/^-?\d+$/.test(String(mock.data.get(key)))) throw new ReplyError(NOT_AN_INTEGER);
  }
  if ((name === 'rename' || name === 'renamenx') && !mock.data.has(key)) throw new ReplyError('ERR no such key');
  if (name === 'expire' || name === 'pexpire') checkExpiry(args[1], name === 'expire' ? 1000 : 1, undefined);
  if (name === 'set') checkSetOptions(args.slice(2));
}

function typeOf(mock: MockInternals, key: string): string {
  if (!mock.data.has(key)) return 'none';
  const value = mock.data.get(key);
  if (value instanceof Set) return 'set';
  if (value instanceof Map) return 'zset';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string' || Buffer.isBuffer(value)) return 'string';
  return 'hash';
}

const SET_FLAGS = new Set(['NX', 'XX', 'GET', 'KEEPTTL']);
const SET_EXPIRY = new Map([
  ['EX', 1000],
  ['PX', 1],
  ['EXAT', 1000],
  ['PXAT', 1],
]);

function checkSetOptions(options: string[]): void {
  for (let i = 0; i < options.length; i++) {
    const option = options[i]!.toUpperCase();
    if (SET_FLAGS.has(option)) continue;
    const unit = SET_EXPIRY.get(option);
    if (unit === undefined || i + 1 >= options.length) throw new ReplyError('ERR syntax error');
    checkExpiry(options[++i], unit, "ERR invalid expire time in 'set' command");
  }
}

/** Redis reads an expiry as a 64-bit integer, and in milliseconds it must still fit in one. */
function checkExpiry(text: string | undefined, msPerUnit: number, notPositive: string | undefined): void {
  if (text === undefined || !/^-?\d+$/.test(text)) throw new ReplyError(NOT_AN_INTEGER);
  const value = BigInt(text);
  if (value > 2n ** 63n - 1n || value < -(2n ** 63n)) throw new ReplyError(NOT_AN_INTEGER);
  if (notPositive && value <= 0n) throw new ReplyError(notPositive);
  if (value * BigInt(msPerUnit) > 2n ** 63n - 1n) throw new ReplyError(notPositive ?? NOT_AN_INTEGER);
}
