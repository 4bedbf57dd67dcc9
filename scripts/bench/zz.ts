import { once } from 'node:events';
import { createCluster } from '../../solutions/06-cluster-sessions/cluster-client.js';
import { keySlot } from '../../solutions/06-cluster-sessions/key-slot.js';
import { startRedisCluster } from '../../test/support/redis-cluster.js';
export const title = 'x';
export default async function run() {
  let t = performance.now();
  const c = await startRedisCluster({ nodeTimeoutMs: 500 });
  console.log('up in', performance.now() - t);
  try {
    const client = createCluster({ nodes: c.nodes, onError: () => {} });
    await once(client, 'ready');
    const [a, b] = c.masters[0].slots!;
    let deadKey = ''; for (let i=0;;i++){ const k=`k${i}`; const s = keySlot(k); if (s >= a && s <= b) { deadKey=k; break; } }
    const killAt = performance.now();
    await c.masters[0].kill();
    let errors = 0; let firstOk = 0; const msgs = new Map();
    for (let i = 0; i < 100000; i++) {
      try { await client.set(deadKey, String(i)); firstOk = performance.now() - killAt; break; }
      catch (e) { errors++; const m = (e as Error).message; msgs.set(m, (msgs.get(m) ?? 0) + 1); await new Promise(r => setTimeout(r, 10)); }
    }
    console.log({ errors, firstOk, msgs });
    client.disconnect();
  } finally { t = performance.now(); await c.stop(); console.log('down in', performance.now()-t); }
}
