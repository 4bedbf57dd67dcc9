/**
 * Gets the chosen Redis backend ready for a spec run and tells the specs which
 * one it is through the environment (read by test/support/redis.ts).
 */
import type { Backend, Lesson } from '../../manifest.js';
import { dim, fail, yellow } from './ui.js';
// Checks CACHELINGS_REDIS_PORT and CACHELINGS_CLUSTER_PORTS here, with a plain message, before any spec imports them.
import './ports.js';

export const backendChoices = ['mock', 'real', 'container'] as const;
export type BackendChoice = (typeof backendChoices)[number];

export interface PreparedBackend {
  /** What the summary prints, e.g. "ioredis-mock (embedded)". */
  label: string;
  /** Stops whatever prepareBackend started (the container). */
  stop(): Promise<void>;
}

export function parseBackend(value: string | undefined): BackendChoice {
  const choice = value ?? 'mock';
  if (!(backendChoices as readonly string[]).includes(choice)) {
    fail(`--redis takes one of ${backendChoices.join(', ')}; got "${choice}"`);
  }
  return choice as BackendChoice;
}

/** What a set of lessons needs: the most demanding of their backends. */
export function neededBackend(lessonsHere: Lesson[]): Backend {
  const order: Backend[] = ['none', 'redis', 'cluster'];
  return order[Math.max(0, ...lessonsHere.map((l) => order.indexOf(l.backend)))]!;
}

/** Checks (or starts) the Redis that `needs` asks for, and says which backend the specs will use. */
export async function prepareBackend(choice: BackendChoice, needs: Backend): Promise<PreparedBackend> {
  const nothingToStop = async () => {};
  if (needs === 'none') {
    return { label: 'none: these specs run in memory', stop: nothingToStop };
  }
  if (choice === 'mock') {
    process.env.CACHELINGS_REDIS = 'mock';
    return { label: 'ioredis-mock (embedded; --redis real for a server)', stop: nothingToStop };
  }

  // Loaded only here: a lesson without Redis should not pay for ioredis at start-up.
  const { clusterProblem, redisProblem, redisUrl } = await import('./probe.js');
  let stop = nothingToStop;
  let how = '';
  if (choice === 'container') ({ stop, how } = await startContainer());
  const url = redisUrl();
  const problem = await redisProblem(url);
  if (problem) {
    await stop();
    fail(
      `Redis at ${url} does not answer (${problem}).\n` +
        `  Start one:      npm run redis:up\n` +
        `  or point at one: REDIS_URL=redis://host:6379 npm run lesson N -- --redis real\n` +
        `  or use the embedded mock (the default): npm run lesson N`,
    );
  }
  process.env.CACHELINGS_REDIS = 'real';

  let label = choice === 'container' ? `a testcontainers Redis (${how}) at ${url}` : `real Redis at ${url}`;
  // A lesson that needs the cluster says when none answers; any other Redis lesson uses one
  // quietly when it answers (a spec or two of lesson 09 run on it too).
  const clusterIssue = await clusterProblem();
  if (!clusterIssue) {
    process.env.CACHELINGS_CLUSTER = '1';
    label += ' + cluster';
  } else if (needs === 'cluster') {
    console.log(yellow(`! No Redis Cluster answers (${clusterIssue}): the cluster specs will be skipped. npm run redis:up starts one.`));
  }
  return { label, stop };
}

async function startContainer(): Promise<{ how: string; stop: () => Promise<void> }> {
  const { containerRuntimeProblem } = await import('./probe.js');
  const problem = await containerRuntimeProblem();
  if (problem) {
    fail(
      `--redis container needs a Docker (or Podman) engine, and none answers here:\n  ${dim(problem)}\n` +
        `  Use the embedded mock (the default), or a real Redis: npm run redis:up, then npm run lesson N -- --redis real`,
    );
  }
  const { redisImage } = await import('./docker.js');
  const { startRedisContainer } = await import('./container.js');
  console.log(dim(`Starting a Redis container from ${redisImage()} (the first time pulls it)…`));
  try {
    const container = await startRedisContainer();
    process.env.REDIS_URL = container.url;
    return container;
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    fail(
      `testcontainers could not start a Redis container from ${redisImage()}:\n  ${dim(reason ?? String(error))}\n` +
        '  Without a registry (nothing can be pulled): CACHELINGS_REDIS_IMAGE=<an image you have, or your mirror\'s copy>\n' +
        '  and TESTCONTAINERS_RYUK_DISABLED=true (its reaper image is pulled too). Or use --redis real with npm run redis:up.',
    );
  }
}
