import { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { httpCache } from '../../../solutions/07-web-caching/http-cache.js';
import { encodeStored } from '../../../provided/stored-response.js';
import { variantKey } from '../../../solutions/07-web-caching/cache-key.js';

const user1 = JSON.stringify({ id: 1, name: 'user 1', email: '1@example.com' });
const stored = encodeStored({ status: 200, headers: [['content-type', 'application/json'], ['cache-control', 'public, max-age=600']], body: new TextEncoder().encode(user1), responseTime: Date.now(), initialAge: 0, freshness: 600 });
const vary = Buffer.from('[]');
// A Redis that answers at once: the middleware's own work, without ioredis and the socket.
const redis = { hmgetBuffer: async () => [vary, stored] } as unknown as Redis;
void variantKey;
const app = new Hono();
app.get('/static/users/:id', (c) => c.json(JSON.parse(user1), 200, { 'cache-control': 'public, max-age=600' }));
app.use('/cached/*', httpCache({ redis, prefix: 'p:' }));
app.get('/cached/users/:id', (c) => c.text('miss'));
async function run(path: string, n: number) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const r = await app.request(path);
    if (path.startsWith('/cached') && r.headers.get('x-cache') !== 'HIT') throw new Error('not a hit');
  }
  return Number(process.hrtime.bigint() - t) / n / 1000;
}
for (let i = 0; i < 2; i++) { await run('/static/users/1', 20000); await run('/cached/users/1', 20000); }
const s = [], c = [];
for (let i = 0; i < 5; i++) { s.push(await run('/static/users/1', 20000)); c.push(await run('/cached/users/1', 20000)); }
console.log(`static ${Math.min(...s).toFixed(2)} µs, cached hit (no Redis) ${Math.min(...c).toFixed(2)} µs, middleware's own ${(Math.min(...c) - Math.min(...s)).toFixed(2)} µs`);
