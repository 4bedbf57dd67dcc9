/**
 * npm run redis:up   a real Redis on 6379 and a 6-node Redis Cluster on 7000-7005
 * npm run redis:down stops what redis:up started, and nothing else
 *
 * How, in this order: Compose (docker-compose.yml) when a Docker engine answers
 * and `docker compose` or `docker-compose` is installed; else the local
 * redis-server binaries, through scripts/redis-local.sh; else a message that
 * says what to install. `--local` or `--docker` chooses. A Redis that already
 * answers is left alone. CACHELINGS_REDIS_PORT, CACHELINGS_CLUSTER_PORTS and
 * CACHELINGS_REDIS_IMAGE move the ports and change the image (scripts/lib/ports.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from './lib/args.js';
import { composeFileFor, dockerEngineProblem, engineHasBridge, findCompose, redisImage, type Compose } from './lib/docker.js';
import { defaultPorts, defaultRedisUrl, ports } from './lib/ports.js';
import { clusterProblem, redisProblem } from './lib/probe.js';
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

const localScript = path.join(root, 'scripts', 'redis-local.sh');
/** The settings both ways read, so that Compose and the local script use the ports the specs will look at. */
const settings = {
  CACHELINGS_REDIS_PORT: String(ports.redis),
  CACHELINGS_CLUSTER_PORTS: clusterRange,
  CACHELINGS_REDIS_IMAGE: redisImage(),
  REDIS_PORT: String(ports.redis),
  CLUSTER_PORTS: clusterRange,
};

function hasBinary(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Runs a step in the foreground; a failure ends redis:up with `why`, never with a stack trace. */
function step(argv: string[], env: Record<string, string>, why: string): void {
  const [command, ...args] = argv;
  const r = spawnSync(command!, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    const how = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
    fail(`${argv.join(' ')} failed (${how}). ${why}`);
  }
}

type Way = { via: 'docker'; compose: Compose; file: string } | { via: 'local' };

const noRedisHere =
  '  install Redis:  sudo apt-get install redis-server   (macOS: brew install redis)\n' +
  '  or Docker with Compose (Docker Desktop; or docker.io with docker-compose-plugin or docker-compose)\n' +
  '  Meanwhile every lesson runs on the embedded mock: npm run lesson N';

/** Compose when an engine and a Compose answer, else the local binaries; says which in one line. */
function chooseWay(): Way {
  const local = hasBinary('redis-server') && hasBinary('redis-cli');
  if (values.local) {
    if (!local) fail(`--local needs the redis-server and redis-cli binaries, and they are not on PATH:\n${noRedisHere}`);
    console.log(dim('Using the local redis-server binaries (scripts/redis-local.sh), as --local asks.'));
    return { via: 'local' };
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
  if (!local) fail(`Cannot start Redis here: ${dockerWhy}, and redis-server is not installed. Either:\n${noRedisHere}`);
  console.log(dim(`${dockerWhy[0]!.toUpperCase()}${dockerWhy.slice(1)}: using the local redis-server binaries (scripts/redis-local.sh).`));
  return { via: 'local' };
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
      : 'Its reason is above; the server logs are in .cachelings/redis/.';
  const record = () => {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(startedFile, JSON.stringify(started));
  };

  if (redisRunning) console.log(`Redis already answers on ${ports.redis}: left as it is.`);
  else {
    started.redis = true;
    record(); // first, so that redis:down also clears a half-started service
    step(way.via === 'docker' ? compose('up', '-d', 'redis') : ['sh', localScript, 'redis'], settings, pullHelp);
  }
  if (clusterRunning) console.log(`A Redis Cluster already answers on ${ports.cluster[0]}: left as it is.`);
  else {
    started.cluster = true;
    record();
    step(way.via === 'docker' ? compose('--profile', 'cluster', 'up', '-d', 'redis-cluster') : ['sh', localScript, 'cluster'], settings, pullHelp);
  }

  const problem =
    (await answers(`Redis on ${ports.redis}`, () => redisProblem(defaultRedisUrl))) ??
    (await answers(`The cluster on ${ports.cluster[0]}`, () => clusterProblem(ports.cluster[0])));
  if (problem) fail(`Started, but not ready: ${problem}. Try npm run doctor; npm run redis:down stops what was started.`);
  if (way.via === 'docker') step(compose('--profile', 'cluster', 'ps'), settings, 'Compose could not list its services.');
  // Moved ports have to be set for the specs too.
  const where = Object.entries(settings)
    .filter(([name, value]) => name.startsWith('CACHELINGS_') && name !== 'CACHELINGS_REDIS_IMAGE' && process.env[name] && value)
    .map(([name, value]) => `${name}=${value} `)
    .join('');
  console.log(green(bold('Ready.')) + ` Run a lesson on it: ${where}npm run lesson N -- --redis real · all solutions: ${where}npm run test:redis`);
}

function down(): void {
  if (!existsSync(startedFile)) {
    // Local servers leave pid files; stop those even without the record.
    step(['sh', localScript, 'down'], settings, 'Could not stop the local servers.');
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
    step(['sh', localScript, 'down'], settings, 'Could not stop the local servers.');
  }
  rmSync(startedFile, { force: true });
  console.log('Stopped what npm run redis:up started; anything that was running before is untouched.');
}

const action = positionals[0];
if (action === 'up') await up();
else if (action === 'down') down();
else fail('usage: tsx scripts/redis.ts up|down [--local|--docker]');
