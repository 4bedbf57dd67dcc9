/**
 * The dashboard: a Hono app that serves one page and a stream of server-sent
 * events. It subscribes to the room's channel; a learner's write names the
 * learner, whose keys are read again (at most every `flushMs`), and every open
 * page gets the new view. Every `tickMs` the view is recomputed anyway, so the
 * stuck list grows without anyone running anything.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { Redis } from 'ioredis';
import { learnerIdPattern, type RoomKeys } from './keys.js';
import { maxLearners, readLearner, readLearners, type LearnerState } from './store.js';
import { roomView, type Seen } from './view.js';

export interface DashboardOptions {
  /** The instructor's client (reads the room) and a second one for SUBSCRIBE. */
  redis: Redis;
  subscriber: Redis;
  keys: RoomKeys;
  /** The instructor secret: the page's URL carries it, the event stream asks for it. */
  secret: string;
  lessons: Array<{ number: number; title: string }>;
  stuckAfterMs: number;
  host?: string;
  /** 0: any free port. */
  port?: number;
  flushMs?: number;
  tickMs?: number;
  now?: () => number;
}

export interface Dashboard {
  /** http://host:port/#<secret>: the page, with the secret where the browser keeps it (a fragment is never sent). */
  url: string;
  port: number;
  close(): Promise<void>;
}

const asset = (name: string) => readFileSync(new URL(`./page/${name}`, import.meta.url), 'utf8');
const maxViewers = 20;

export function dashboardApp(options: DashboardOptions) {
  const { redis, subscriber, keys, secret, lessons } = options;
  const now = options.now ?? Date.now;
  const numbers = lessons.map((l) => l.number);
  const learners = new Map<string, LearnerState & Seen>();
  const dirty = new Set<string>();
  const viewers = new Set<SSEStreamingApi>();
  let ended = false;
  let last = '';

  const remember = (learner: LearnerState) => {
    const before = learners.get(learner.id);
    const latest = Math.max(0, ...[...learner.lessons.values()].map((r) => r.at));
    const previous = before ? Math.max(0, ...[...before.lessons.values()].map((r) => r.at)) : -1;
    learners.set(learner.id, { ...learner, seenAt: before && latest === previous ? before.seenAt : now() });
  };
  const view = () => JSON.stringify(roomView(keys.code, lessons, [...learners.values()], { now: now(), stuckAfterMs: options.stuckAfterMs, ended }));
  const broadcast = async () => {
    const data = view();
    if (data === last) return;
    last = data;
    await Promise.all([...viewers].map((v) => v.writeSSE({ event: 'room', data }).catch(() => viewers.delete(v))));
  };

  const load = async () => {
    for (const learner of await readLearners(redis, keys, numbers)) remember(learner);
  };
  const flush = async () => {
    const ids = [...dirty];
    dirty.clear();
    for (const id of ids) {
      const learner = await readLearner(redis, keys, id, numbers);
      if (learner) remember(learner);
      else learners.delete(id);
    }
    await broadcast();
  };
  const tick = async () => {
    ended = (await redis.exists(keys.meta)) === 0;
    if (ended) learners.clear();
    await broadcast();
  };

  subscriber.on('message', (channel: string, id: string) => {
    // Any learner may publish anything here: only a known id, or room for a new one, counts.
    // However fast they come, each learner is read at most once per flush, and never more than maxLearners of them.
    if (channel !== keys.channel || !learnerIdPattern.test(id)) return;
    if (learners.has(id) || learners.size + dirty.size < maxLearners) dirty.add(id);
  });

  const allowed = (key: string | undefined) => {
    const a = Buffer.from(key ?? '');
    const b = Buffer.from(secret);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    // The page loads nothing from elsewhere and runs no inline script: a name that slips past escaping still cannot run.
    c.header('Content-Security-Policy', "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
  });
  const page = asset('index.html');
  const script = asset('room.js');
  const style = asset('room.css');
  app.get('/', (c) => c.html(page));
  app.get('/room.js', (c) => c.body(script, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.get('/room.css', (c) => c.body(style, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
  app.get('/view', (c) => (allowed(c.req.query('key')) ? c.body(view(), 200, { 'Content-Type': 'application/json' }) : c.text('wrong key', 403)));
  app.get('/events', (c) => {
    if (!allowed(c.req.query('key'))) return c.text('wrong key', 403);
    if (viewers.size >= maxViewers) return c.text('too many open pages', 503);
    return streamSSE(c, async (stream) => {
      viewers.add(stream);
      await stream.writeSSE({ event: 'room', data: view() });
      while (!stream.aborted && !stream.closed) {
        await stream.sleep(15_000);
        await stream.write(': keep-alive\n\n').catch(() => stream.abort());
      }
      viewers.delete(stream);
    });
  });

  return { app, load, flush, tick, dirty, viewers };
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const room = dashboardApp(options);
  await room.load();
  await options.subscriber.subscribe(options.keys.channel);
  const timers = [
    setInterval(() => void (room.dirty.size > 0 ? room.flush() : null)?.catch(() => {}), options.flushMs ?? 250),
    setInterval(() => void room.tick().catch(() => {}), options.tickMs ?? 5_000),
  ];
  const host = options.host ?? '127.0.0.1';
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: room.app.fetch, hostname: host, port: options.port ?? 0 }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}/#${options.secret}`,
    port,
    async close() {
      timers.forEach(clearInterval);
      for (const v of room.viewers) await v.abort();
      await options.subscriber.unsubscribe(options.keys.channel).catch(() => {});
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
    },
  };
}
