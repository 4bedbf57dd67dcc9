/**
 * Gets the chosen Redis backend ready for a spec run and tells the specs which
 * one it is through the environment (read by test/support/redis.ts).
 */
import type { Backend, Lesson } from '../../manifest.js';
import { dim, fail, yellow } from './ui.js';

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
  if (choice === 'container') stop = await startContainer();
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

  let label = `${choice === 'container' ? 'a testcontainers Redis' : 'real Redis'} at ${url}`;
  if (needs === 'cluster') {
    const clusterIssue = await clusterProblem();
    if (clusterIssue) {
      console.log(yellow(`! No Redis Cluster answers (${clusterIssue}): the cluster specs will be skipped. npm run redis:up starts one.`));
    } else {
      process.env.CACHELINGS_CLUSTER = '1';
      label += ' + cluster';
    }
  }
  return { label, stop };
}

async function startContainer(): Promise<() => Promise<void>> {
  const { containerRuntimeProblem } = await import('./probe.js');
  const problem = await containerRuntimeProblem();
  if (problem) {
    fail(
      `--redis container needs a Docker (or Podman) engine, and none answers here:\n  ${dim(problem)}\n` +
        `  Use the embedded mock (the default), or a real Redis: npm run redis:up, then npm run lesson N -- --redis real`,
    );
  }
  const { RedisContainer } = await import('@testcontainers/redis');
  console.log(dim('Starting a Redis container (the first time pulls redis:7.4-alpine)…'));
  const container = await new RedisContainer('redis:7.4-alpine').start();
  process.env.REDIS_URL = container.getConnectionUrl();
  return async () => {
    await container.stop();
  };
}
