/**
 * The server the web-cache bench loads, in a process of its own so that the
 * load generator does not share its event loop. On loopback, through
 * @hono/node-server, three routes:
 *   /static/users/1   the same JSON, fixed (c.json): the most a Hono handler can do
 *   /origin/users/1   the user from the database (lesson 04's UserRepository), every time
 *   /local/users/1    the same, without the network: SQLite in the process
 *   /cached/users/1   the same handler behind lesson 07's httpCache, in Redis
 *   /hot/users/1      the same, with the bonus HotResponseStore (a hit from memory for HOT_MS, 1 s)
 * The database answers after DB_LATENCY_MS (a query over a network, on demand
 * through the repository's latency hook). Prints "listening <port>" when ready.
 */
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { Redis } from 'ioredis';
import { UserRepository } from '../../../provided/user-repository.js';
import { httpCache } from '../../../solutions/07-web-caching/http-cache.js';
import { HotResponseStore } from '../../../solutions/07-web-caching/hot-store.js';

const latencyMs = Number(process.env.DB_LATENCY_MS ?? 2);
const rows = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, name: `user ${i + 1}`, email: `${i + 1}@example.com` }));
/** Over a network: every answer arrives latencyMs after the query ran. */
const users = new UserRepository({ latency: () => new Promise((resolve) => setTimeout(resolve, latencyMs)) });
/** In the process: SQLite answers in microseconds, faster than any Redis round trip. */
const localUsers = new UserRepository();
await users.upsertMany(rows);
await localUsers.upsertMany(rows);

// Auto-pipelining: the lookups of concurrent requests share one write to the socket (an ioredis option worth having in production).
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { commandTimeout: 1_000, enableAutoPipelining: process.env.AUTO_PIPELINING !== '0' });
const prefix = process.env.BENCH_PREFIX ?? 'cachelings:bench:web:';
const cacheControl = { 'cache-control': 'public, max-age=600' };
// The same JSON the user route answers, without asking anyone for it.
const user1 = { id: 1, name: 'user 1', email: '1@example.com' };

const reading = (repository: UserRepository) => async (c: Context) => {
  const user = await repository.get(Number(c.req.param('id')));
  return user === null ? c.json({ error: 'no such user' }, 404) : c.json(user, 200, cacheControl);
};
const fromDatabase = reading(users);

const app = new Hono();
app.get('/static/users/:id', (c) => c.json(user1, 200, cacheControl));
app.get('/origin/users/:id', fromDatabase);
app.get('/local/users/:id', reading(localUsers));
const cache = httpCache({ redis, prefix });
app.use('/cached/*', cache);
app.get('/stats', (c) => c.json(cache.stats));
app.get('/cpu', (c) => c.json(process.cpuUsage()));
app.get('/cached/users/:id', fromDatabase);
const hot = httpCache({ redis, prefix: `${prefix}hot:`, store: new HotResponseStore(redis, { hotMs: Number(process.env.HOT_MS ?? 1_000) }) });
app.use('/hot/*', hot);
app.get('/hot/users/:id', fromDatabase);

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  console.log(`listening ${info.port}`);
});
process.on('SIGTERM', () => {
  server.close();
  redis.disconnect();
  process.exit(0);
});
