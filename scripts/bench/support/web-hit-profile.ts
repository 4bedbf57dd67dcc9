/**
 * The hit path of lesson 07's httpCache in one process, without sockets: what
 * one hit costs next to a static handler, per request, with 10 requests in
 * flight at a time (as the bench's 10 connections). Run it under --cpu-prof to
 * see where a hit spends its time:
 *   REDIS_URL=redis://127.0.0.1:6399 node --cpu-prof --import tsx scripts/bench/support/web-hit-profile.ts
 */
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { httpCache } from '../../../solutions/07-web-caching/http-cache.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableAutoPipelining: true });
const prefix = `cachelings:bench:hit:${Date.now().toString(36)}:`;
const user1 = { id: 1, name: 'user 1', email: '1@example.com' };
const cacheControl = { 'cache-control': 'public, max-age=600' };
const app = new Hono();
app.get('/static/users/:id', (c) => c.json(user1, 200, cacheControl));
app.use('/cached/*', httpCache({ redis, prefix }));
app.get('/cached/users/:id', (c) => c.json(user1, 200, cacheControl));

async function measure(path: string, total: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next++ < total) await (await app.request(path)).arrayBuffer();
  };
  const start = process.cpuUsage();
  await Promise.all(Array.from({ length: 10 }, worker));
  const { user, system } = process.cpuUsage(start);
  return (user + system) / total;
}

const total = Number(process.env.REQUESTS ?? 20_000);
await measure('/static/users/1', 2_000);
await measure('/cached/users/1', 2_000);
const rounds = [];
for (let round = 0; round < 3; round++) rounds.push([await measure('/static/users/1', total), await measure('/cached/users/1', total)]);
const best = (i: number) => Math.min(...rounds.map((r) => r[i]!));
console.log(`static ${best(0).toFixed(1)} µs/req, cached hit ${best(1).toFixed(1)} µs/req (CPU of this process, Redis not included), ratio ${(best(0) / best(1)).toFixed(2)}`);
await redis.unlink(...(await redis.keys(`${prefix}*`)));
redis.disconnect();
