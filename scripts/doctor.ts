/**
 * npm run doctor: is this machine ready for every lesson? Each check that fails
 * says the exact command that fixes it. Exits non-zero only when the basics
 * (Node, the dependencies) are missing: Redis and Docker are optional.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { dockerEngineProblem, engineHasBridge, findCompose, redisImage } from './lib/docker.js';
import { minimumNode, nodeProblem, testedLines } from './lib/node-version.mjs';
import { describePort, freeClusterRange, setVariable, takenPorts } from './lib/port-check.js';
import { ports } from './lib/ports.js';
import { clusterProblem, containerRuntimeProblem, redisProblem, redisUrl } from './lib/probe.js';
import { installAdvice, redisServerBinary } from './lib/redis-local.js';
import { bold, dim, mark, yellow } from './lib/ui.js';
import { root } from './lib/vitest-config.js';

interface Check {
  name: string;
  /** null when fine; otherwise what is wrong. */
  problem: string | null;
  /** The command (or step) that fixes it. */
  fix: string;
  /** Optional checks only warn. */
  optional?: boolean;
  detail?: string;
}

const checks: Check[] = [];
const require = createRequire(path.join(root, 'package.json'));

// 1. Node
checks.push({
  name: `Node.js ${process.versions.node} (the kata needs ${minimumNode} or newer; ${testedLines})`,
  problem: nodeProblem(),
  fix: 'nvm install --lts, fnm install --lts, or the installer from https://nodejs.org; then npm ci',
});

// 2. Dependencies, including the one native module
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const missing = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
  (name) => !existsSync(path.join(root, 'node_modules', name, 'package.json')),
);
checks.push({
  name: 'dependencies installed',
  problem: missing.length > 0 ? `not installed: ${missing.join(', ')}` : null,
  fix: 'npm install',
});
let sqliteProblem: string | null = null;
try {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  new Database(':memory:').close();
} catch (error) {
  sqliteProblem = (error as Error).message.split('\n')[0] ?? 'does not load';
}
checks.push({
  name: 'better-sqlite3 (the origin database of the pattern lessons) loads',
  problem: missing.includes('better-sqlite3') ? 'not installed' : sqliteProblem,
  fix: `npm rebuild better-sqlite3   (its prebuilt Node-API binary ships inside the package; check that Node is ${minimumNode} or newer)`,
});

// 3. Backends
checks.push({ name: 'embedded Redis (ioredis-mock): the default backend', problem: missing.includes('ioredis-mock') ? 'not installed' : null, fix: 'npm install' });
const url = redisUrl();
checks.push({
  name: `real Redis at ${url}${process.env.REDIS_URL ? ' (REDIS_URL)' : ''}`,
  problem: await redisProblem(url),
  fix: process.env.REDIS_URL ? `check REDIS_URL (${url}), or unset it and run npm run redis:up` : 'npm run redis:up   (or REDIS_URL=redis://host:port for a Redis you have)',
  optional: true,
  detail: 'lets you run a lesson with -- --redis real',
});
const clusterIssue = await clusterProblem();
checks.push({
  name: `Redis Cluster on ${ports.cluster.join(',')}`,
  problem: clusterIssue,
  fix: 'npm run redis:up',
  optional: true,
  detail: 'for the cluster specs',
});
// Where redis:up would start them, are the ports free? (macOS's AirPlay Receiver, Windows' reserved ranges…)
const busy = await portsInTheWay(clusterIssue !== null && !process.env.REDIS_CLUSTER_NODES, !process.env.REDIS_URL && (await redisProblem(url)) !== null);
if (busy) checks.push(busy);
const serverBinary = redisServerBinary();
const redisServer = serverBinary ? spawnSync(serverBinary, ['--version'], { encoding: 'utf8', windowsHide: true }) : null;
checks.push({
  name: `redis-server binary (npm run redis:up without Docker)${serverBinary ? `: ${serverBinary}` : ''}`,
  problem:
    redisServer?.status === 0 ? null
    : serverBinary ? `${serverBinary} --version fails`
    : 'none on PATH (redis-server, valkey-server or memurai; REDIS_SERVER_BIN names another)',
  fix: installAdvice().trim(),
  optional: true,
  detail: redisServer?.stdout?.split(' ').find((w) => w.startsWith('v='))?.slice(2),
});
const engineProblem = dockerEngineProblem();
checks.push({
  name: 'Docker engine (docker compose, --redis container)',
  problem: engineProblem,
  fix: 'start Docker Desktop, or dockerd; or use the local binaries (npm run redis:up) and --redis real',
  optional: true,
  detail: engineProblem === null && !engineHasBridge() ? 'no bridge network: the host-network variants are used' : undefined,
});
const compose = engineProblem === null ? findCompose() : null;
checks.push({
  name: `Compose for npm run redis:up${compose ? `: ${compose.label}` : ''}`,
  problem:
    engineProblem !== null
      ? 'no Docker engine, so npm run redis:up uses the local redis-server binaries'
      : compose === null
        ? 'neither `docker compose` nor `docker-compose` is installed, so npm run redis:up uses the local redis-server binaries'
        : null,
  fix: 'install Docker Desktop, or the docker-compose-plugin package (Debian: docker-compose, the v1 command, works too)',
  optional: true,
});
checks.push({
  name: 'testcontainers finds the engine (--redis container)',
  problem: await containerRuntimeProblem(),
  fix: 'start Docker Desktop, or dockerd / podman; or use --redis real with npm run redis:up',
  optional: true,
  detail: `image ${redisImage()}${process.env.CACHELINGS_REDIS_IMAGE ? ' (CACHELINGS_REDIS_IMAGE)' : '; CACHELINGS_REDIS_IMAGE sets another, e.g. a registry mirror'}`,
});

/** A check for the ports npm run redis:up needs and something else holds; null when they are free (or already ours). */
async function portsInTheWay(cluster: boolean, redis: boolean): Promise<Check | null> {
  const wanted = [...(redis ? [ports.redis] : []), ...(cluster ? [...ports.cluster, ...ports.cluster.map((p) => p + 10_000)] : [])];
  const taken = await takenPorts(wanted);
  if (taken.length === 0) return null;
  const clusterTaken = taken.some((r) => r.port !== ports.redis);
  const range = clusterTaken ? await freeClusterRange() : undefined;
  const moves = [
    ...(taken.some((r) => r.port === ports.redis) ? [setVariable('CACHELINGS_REDIS_PORT', '6390')] : []),
    ...(clusterTaken && range ? [setVariable('CACHELINGS_CLUSTER_PORTS', range)] : []),
  ];
  return {
    name: `ports for npm run redis:up (${wanted.length === 1 ? wanted[0] : `${redis ? `${ports.redis}, ` : ''}${ports.cluster[0]}-${ports.cluster.at(-1)} and +10000`})`,
    problem: taken.map(describePort).join('; '),
    fix: `free ${taken.length === 1 ? 'it' : 'them'}, or move ours for every command of the session: ${moves.join(' and ') || 'CACHELINGS_CLUSTER_PORTS=FIRST-LAST'}`,
    optional: true,
  };
}

console.log(`\n${bold('cachelings doctor')}\n`);
for (const c of checks) {
  const state = c.problem === null ? mark.pass : c.optional ? yellow('!') : mark.fail;
  const extra = c.problem === null && c.detail ? dim(` (${c.detail})`) : '';
  console.log(`  ${state} ${c.name}${extra}`);
  if (c.problem !== null) {
    console.log(`      ${dim(c.problem)}`);
    console.log(`      fix: ${bold(c.fix)}`);
  }
}
const essential = checks.filter((c) => !c.optional && c.problem !== null);
console.log('');
if (essential.length > 0) {
  console.log('Fix the ✗ lines first: without them no lesson runs.');
  process.exit(1);
}
console.log('Ready: every lesson runs on the embedded mock. Lines marked ! are optional (a real Redis, a cluster, Docker).');
