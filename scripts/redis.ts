/**
 * npm run redis:up   a real Redis on 6379 and a 6-node Redis Cluster on 7000-7005
 * npm run redis:down stops what redis:up started, and nothing else
 *
 * With a Docker engine: docker compose (docker-compose.yml). Without one: the
 * local redis-server binaries, through scripts/redis-local.sh. `--local` or
 * `--docker` chooses. A Redis that already answers on 6379 is left alone.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultRedisUrl, ports } from './lib/ports.js';
import { clusterProblem, redisProblem } from './lib/probe.js';
import { stateDir } from './lib/state.js';
import { bold, dim, fail, green } from './lib/ui.js';
import { root } from './lib/vitest-config.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { local: { type: 'boolean', default: false }, docker: { type: 'boolean', default: false } },
});

/** What redis:up started, so that redis:down stops exactly that. */
const startedFile = path.join(stateDir, 'redis-started.json');
type Started = { via: 'docker' | 'local'; redis: boolean; cluster: boolean };

const localScript = path.join(root, 'scripts', 'redis-local.sh');

function dockerEngineAnswers(): boolean {
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 5_000 });
  return r.status === 0;
}

function hasBinary(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function run(command: string, args: string[]): void {
  execFileSync(command, args, { cwd: root, stdio: 'inherit' });
}

async function up(): Promise<void> {
  const redisRunning = (await redisProblem(defaultRedisUrl)) === null;
  const clusterRunning = (await clusterProblem()) === null;
  if (redisRunning && clusterRunning) {
    console.log(green(`Redis answers on ${ports.redis} and the cluster on ${ports.cluster.join(',')}: nothing to start.`));
    return;
  }

  const via = values.local ? 'local' : values.docker || dockerEngineAnswers() ? 'docker' : 'local';
  if (via === 'local' && !hasBinary('redis-server')) {
    fail(
      'Neither a Docker engine nor redis-server is available here. Either:\n' +
        '  install Redis:  sudo apt-get install redis-server   (macOS: brew install redis)\n' +
        '  or start Docker (Docker Desktop, or dockerd) and run npm run redis:up again.\n' +
        '  Meanwhile every lesson runs on the embedded mock: npm run lesson N',
    );
  }
  console.log(dim(via === 'docker' ? 'Using docker compose (docker-compose.yml).' : 'No Docker engine: using the local redis-server binaries (scripts/redis-local.sh).'));

  const started: Started = { via, redis: false, cluster: false };
  if (redisRunning) console.log(`Redis already answers on ${ports.redis}: left as it is.`);
  else {
    if (via === 'docker') run('docker', ['compose', 'up', '-d', '--wait', 'redis']);
    else run('sh', [localScript, 'redis']);
    started.redis = true;
  }
  if (clusterRunning) console.log('A Redis Cluster already answers: left as it is.');
  else {
    if (via === 'docker') run('docker', ['compose', '--profile', 'cluster', 'up', '-d', '--wait', 'redis-cluster']);
    else run('sh', [localScript, 'cluster']);
    started.cluster = true;
  }
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(startedFile, JSON.stringify(started));

  const problem = (await clusterProblem()) ?? (await redisProblem(defaultRedisUrl));
  if (problem) fail(`Started, but not answering yet: ${problem}. Try npm run doctor.`);
  console.log(green(bold('Ready.')) + ` Run a lesson on it: npm run lesson N -- --redis real · all solutions: npm run test:redis`);
}

function down(): void {
  if (!existsSync(startedFile)) {
    // Local servers leave pid files; stop those even without the record.
    run('sh', [localScript, 'down']);
    return;
  }
  const started = JSON.parse(readFileSync(startedFile, 'utf8')) as Started;
  if (started.via === 'docker') {
    const services = [started.redis && 'redis', started.cluster && 'redis-cluster'].filter(Boolean) as string[];
    if (services.length > 0) run('docker', ['compose', '--profile', 'cluster', 'rm', '--stop', '--force', ...services]);
  } else {
    run('sh', [localScript, 'down']);
  }
  rmSync(startedFile, { force: true });
  console.log('Stopped what npm run redis:up started; anything that was running before is untouched.');
}

const action = positionals[0];
if (action === 'up') await up();
else if (action === 'down') down();
else fail('usage: tsx scripts/redis.ts up|down [--local|--docker]');
