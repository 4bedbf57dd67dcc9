/**
 * npm run redis:up   a real Redis on 6379 and a 6-node Redis Cluster on 7300-7305
 * npm run redis:down stops what redis:up started, and nothing else
 *
 * How, in this order: Compose (docker-compose.yml) when a Docker engine answers
 * and `docker compose` or `docker-compose` is installed; else the local
 * binaries (redis-server, valkey-server, or Memurai's memurai on Windows;
 * REDIS_SERVER_BIN names another), started from Node (scripts/lib/redis-local.ts:
 * no sh, so it works on Windows too); else a message that says what to install,
 * for this system. `--local` or `--docker` chooses. A Redis that already
 * answers is left alone, and ports something else holds are named first.
 * CACHELINGS_REDIS_PORT, CACHELINGS_CLUSTER_PORTS and CACHELINGS_REDIS_IMAGE
 * move the ports and change the image (scripts/lib/ports.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from './lib/args.js';
import { composeFileFor, dockerEngineProblem, engineHasBridge, findCompose, redisImage, type Compose } from './lib/docker.js';
import { defaultPorts, defaultRedisUrl, ports } from './lib/ports.js';
import { describePort, freeClusterRange, setVariable, takenPorts } from './lib/port-check.js';
import { clusterProblem, redisProblem } from './lib/probe.js';
import { installAdvice, redisServerBinary, redisStateDir, startCluster, startRedis, stopLocal } from './lib/redis-local.js';
import { stateDir } from './lib/state.js';
import { bold, dim, fail, green } from './lib/ui.js';
import { root } from './lib/vitest-config.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { local: { type: 'boolean', default: false }, docker: { type: 'boolean', default: false } },
});

const clusterRange = `${ports.cluster[0]}-${ports.cluster.at(-1)}`;

/**
 * What redis:up started, so that redis:down stops exactly that, the same way.
 * One record per set of ports: a redis:up on moved ports (CI's container stage)
 * does not overwrite the record of the one on the default ports.
 */
const startedFile = path.join(stateDir, ports.redis !== defaultPorts.redis || clusterRange !== defaultPorts.cluster ? `redis-started-${ports.redis}-${ports.cluster[0]}.json` : 'redis-started.json');
type Started =
  | { via: 'docker'; compose: string[]; file: string; env: Record<string, string>; redis: boolean; cluster: boolean }
  | { via: 'local'; redis: boolean; cluster: boolean };

/** The settings both ways read, so that Compose and the local script use the ports the specs will look at. */
const settings = {
  CACHELINGS_REDIS_PORT: String(ports.redis),
  CACHELINGS_CLUSTER_PORTS: clusterRange,
  CACHELINGS_REDIS_IMAGE: redisImage(),
  REDIS_PORT: String(ports.redis),
  CLUSTER_PORTS: clusterRange,
};

/** Runs a step in the foreground; a failure ends redis:up with `why`, never with a stack trace. */
function step(argv: string[], env: Record<string, string>, why: string): void {
  const [command, ...args] = argv;
  const r = spawnSync(command!, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    const how = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
    fail(`${argv.join(' ')} failed (${how}). ${why}`);
  }
}

type Way = { via: 'docker'; compose: Compose; file: string } | { via: 'local'; binary: string };

const noRedisHere = () => `${installAdvice()}\n  Meanwhile every lesson runs on the embedded mock: npm run lesson N`;

/** Compose when an engine and a Compose answer, else the local binaries; says which in one line. */
function chooseWay(): Way {
  const binary = redisServerBinary();
  if (values.local) {
    if (!binary) fail(`--local needs a redis-server (or valkey-server, or memurai) binary, and there is none on PATH:\n${noRedisHere()}`);
    console.log(dim(`Using the local binary ${binary}, as --local asks.`));
    return { via: 'local', binary };
  }
  const engineProblem = dockerEngineProblem();
  const compose = engineProblem === null ? findCompose() : null;
  if (compose) {
    const file = composeFileFor(engineHasBridge());
    const network = file === 'docker-compose.yml' ? '' : ', host network: this engine has no bridge network';
    console.log(dim(`Using ${compose.label} with ${file} (image ${redisImage()}${network}).`));
    return { via: 'docker', compose, file };
  }
  const dockerWhy =
    engineProblem === null
      ? 'a Docker engine answers, but neither `docker compose` nor `docker-compose` is installed'
      : `no Docker engine answers (${engineProblem})`;
  if (values.docker) fail(`--docker, but ${dockerWhy}.\n  Start Docker Desktop or dockerd, and install Compose; or leave out --docker.`);
  if (!binary) fail(`Cannot start Redis here: ${dockerWhy}, and no redis-server is installed. Either:\n${noRedisHere()}`);
  console.log(dim(`${dockerWhy[0]!.toUpperCase()}${dockerWhy.slice(1)}: using the local binary ${binary}.`));
  return { via: 'local', binary };
}

/** Waits until `problem` has no answer left, for servers Compose started in the background. */
async function answers(what: string, problem: () => Promise<string | null>, seconds = 60): Promise<string | null> {
  let last: string | null = null;
  for (const until = Date.now() + seconds * 1000; Date.now() < until; await sleep(250)) {
    last = await problem();
    if (last === null) return null;
  }
  return `${what} did not answer within ${seconds} s (${last})`;
}

async function up(): Promise<void> {
  const redisRunning = (await redisProblem(defaultRedisUrl)) === null;
  const clusterRunning = (await clusterProblem(ports.cluster[0])) === null;
  if (redisRunning && clusterRunning) {
    console.log(green(`Redis answers on ${ports.redis} and the cluster on ${ports.cluster.join(',')}: nothing to start.`));
    return;
  }

  await portsFree(!redisRunning, !clusterRunning);
  const way = chooseWay();
  const started: Started =
    way.via === 'docker'
      ? { via: 'docker', compose: way.compose.command, file: way.file, env: settings, redis: false, cluster: false }
      : { via: 'local', redis: false, cluster: false };
  const compose = (...args: string[]) => (way.via === 'docker' ? [...way.compose.command, '-f', way.file, ...args] : []);
  const pullHelp =
    way.via === 'docker'
      ? `Its reason is above. Without a registry (no pull), set CACHELINGS_REDIS_IMAGE to a mirror's or a local image; ` +
        'or use the local binaries: npm run redis:up -- --local'
      : `Its reason is above; the server logs are in ${redisStateDir().startsWith(root) ? path.relative(root, redisStateDir()) : redisStateDir()}.`;
  const record = () => {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(startedFile, JSON.stringify(started));
  };

  if (redisRunning) console.log(`Redis already answers on ${ports.redis}: left as it is.`);
  else {
    started.redis = true;
    record(); // first, so that redis:down also clears a half-started service
    if (way.via === 'docker') step(compose('up', '-d', 'redis'), settings, pullHelp);
    else await local(() => startRedis(way.binary, ports.redis), pullHelp);
  }
  if (clusterRunning) console.log(`A Redis Cluster already answers on ${ports.cluster[0]}: left as it is.`);
  else {
    started.cluster = true;
    record();
    if (way.via === 'docker') step(compose('--profile', 'cluster', 'up', '-d', 'redis-cluster'), settings, pullHelp);
    else await local(() => startCluster(way.binary, ports.cluster), pullHelp);
  }

  const problem =
    (await answers(`Redis on ${ports.redis}`, () => redisProblem(defaultRedisUrl))) ??
    (await answers(`The cluster on ${ports.cluster[0]}`, () => clusterProblem(ports.cluster[0])));
  if (problem) fail(`Started, but not ready: ${problem}. Try npm run doctor; npm run redis:down stops what was started.`);
  if (way.via === 'docker') step(compose('--profile', 'cluster', 'ps'), settings, 'Compose could not list its services.');
  // Moved ports have to be set for the specs too.
  const moved = Object.entries(settings).filter(
    ([name, value]) => name.startsWith('CACHELINGS_') && name !== 'CACHELINGS_REDIS_IMAGE' && process.env[name] && value,
  );
  const where = process.platform === 'win32' ? '' : moved.map(([name, value]) => `${name}=${value} `).join('');
  const first = process.platform === 'win32' && moved.length > 0 ? ` With the same ${moved.map(([n]) => n).join(' and ')} set for the session:` : '';
  console.log(green(bold('Ready.')) + `${first} Run a lesson on it: ${where}npm run lesson N -- --redis real · all solutions: ${where}npm run test:redis`);
}

/** A local start; a failure ends redis:up with its reason, never a stack trace. */
async function local(start: () => Promise<unknown>, why: string): Promise<void> {
  try {
    await start();
  } catch (error) {
    fail(`${(error as Error).message}\n  ${why}`);
  }
}

/** Stops the local servers on this run's ports (their pid files say which are ours). */
async function downLocal(): Promise<void> {
  const stopped = await stopLocal([ports.redis, ...ports.cluster]);
  console.log(`Stopped ${stopped} local Redis server(s) started by cachelings.`);
}

/** Ends redis:up before it starts anything when a port it needs is held by something else, and says by what. */
async function portsFree(redis: boolean, cluster: boolean): Promise<void> {
  const wanted = [...(redis ? [ports.redis] : []), ...(cluster ? [...ports.cluster, ...ports.cluster.map((p) => p + 10_000)] : [])];
  const taken = await takenPorts(wanted);
  if (taken.length === 0) return;
  const clusterTaken = taken.some((r) => r.port !== ports.redis);
  const range = clusterTaken ? await freeClusterRange() : undefined;
  const moves = [
    ...(taken.some((r) => r.port === ports.redis) ? [setVariable('CACHELINGS_REDIS_PORT', '6390')] : []),
    ...(clusterTaken && range ? [setVariable('CACHELINGS_CLUSTER_PORTS', range)] : []),
  ];
  fail(
    `Cannot start Redis there: ${taken.map(describePort).join('; ')}.\n` +
      `  Free ${taken.length === 1 ? 'it' : 'them'}, or move ours for every command of the session (redis:up, the lessons, redis:down):\n  ${moves.join('\n  ') || 'CACHELINGS_CLUSTER_PORTS=FIRST-LAST'}`,
  );
}

async function down(): Promise<void> {
  if (!existsSync(startedFile)) {
    // Local servers leave pid files; stop those even without the record.
    await downLocal();
    return;
  }
  const started = JSON.parse(readFileSync(startedFile, 'utf8')) as Started;
  if (started.via === 'docker') {
    const services = [started.redis && 'redis', started.cluster && 'redis-cluster'].filter(Boolean) as string[];
    if (services.length > 0) {
      step(
        [...started.compose, '-f', started.file, '--profile', 'cluster', 'rm', '--stop', '--force', ...services],
        started.env,
        'Stop them by hand: docker ps, then docker rm -f <id>.',
      );
    }
  } else {
    await downLocal();
  }
  rmSync(startedFile, { force: true });
  console.log('Stopped what npm run redis:up started; anything that was running before is untouched.');
}

const action = positionals[0];
if (action === 'up') await up();
else if (action === 'down') await down();
else fail('usage: tsx scripts/redis.ts up|down [--local|--docker]');
