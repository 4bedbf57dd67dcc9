/**
 * Redis without Docker, on any laptop: `npm run redis:up` starts the local
 * binaries from Node (no sh: Windows has none), finds a Windows server
 * (memurai.exe) the way Windows finds programs, and a machine with no Redis is
 * told what works there.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { installAdvice, onPath, redisServerBinary } from '../../scripts/lib/redis-local.js';
import { root } from '../../scripts/lib/vitest-config.js';
import { hasRedisServer } from '../support/redis-server.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cachelings-redis-local-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('finding a Redis server', () => {
  it('finds memurai.exe on a Windows PATH (PATHEXT), and REDIS_SERVER_BIN first', () => {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'memurai.exe'), ''); // Windows finds it case-blind; this file system is not
    const windows = { PATH: bin, PATHEXT: '.COM;.EXE;.BAT' };
    expect(onPath('memurai', windows, 'win32')).toBe(path.join(bin, 'memurai.exe'));
    expect(onPath('memurai', windows, 'linux')).toBeNull(); // no PATHEXT outside Windows
    expect(redisServerBinary(windows, 'win32')).toMatch(/memurai\.exe$/i);
    expect(redisServerBinary({ ...windows, REDIS_SERVER_BIN: path.join(bin, 'memurai.exe') }, 'win32')).toBe(path.join(bin, 'memurai.exe'));
    expect(redisServerBinary({ PATH: path.join(dir, 'nothing-here') }, 'linux')).toBeNull();
  });

  it('tells a Windows user three ways that work there, and Linux and macOS their package', () => {
    const windows = installAdvice('win32');
    for (const way of ['Docker Desktop', 'wsl --install', 'sudo apt-get install redis-server', 'Memurai', 'REDIS_SERVER_BIN']) expect(windows).toContain(way);
    expect(installAdvice('darwin')).toContain('brew install redis');
    expect(installAdvice('linux')).toContain('sudo apt-get install redis-server');
  });

  it('starts the local servers without sh: scripts/redis.ts spawns no shell', () => {
    const source = readFileSync(path.join(root, 'scripts/redis.ts'), 'utf8') + readFileSync(path.join(root, 'scripts/lib/redis-local.ts'), 'utf8');
    expect(source).not.toMatch(/['"]sh['"]\s*,|shell:\s*true|spawnSync\(['"]sh/);
  });
});

describe('npm run redis:up -- --local and redis:down, on ports of their own', () => {
  (hasRedisServer ? it : it.skip)('a Redis and a 6-node cluster (3 masters, 3 replicas) from Node, then stopped', { timeout: 60_000 }, async () => {
    // Seven ports of its own (redis:up itself refuses, and names, any that something holds).
    const base = 7410;
    const env = {
      ...process.env,
      NO_COLOR: '1',
      CACHELINGS_STATE_DIR: path.join(dir, 'state'),
      CACHELINGS_REDIS_PORT: String(base),
      CACHELINGS_CLUSTER_PORTS: `${base + 1}-${base + 6}`,
    };
    const run = promisify(execFile);
    const redis = (action: string, ...args: string[]) => run(process.execPath, ['--import', 'tsx', 'scripts/redis.ts', action, ...args], { cwd: root, env });
    try {
      const up = await redis('up', '--local');
      expect(up.stdout).toContain('Using the local binary');
      const client = new Redis(base + 1, '127.0.0.1', { lazyConnect: true });
      try {
        await client.connect();
        expect(await client.call('CLUSTER', 'INFO')).toContain('cluster_state:ok');
        const nodes = String(await client.call('CLUSTER', 'NODES')).trim().split('\n');
        expect(nodes.filter((n) => n.includes('master'))).toHaveLength(3);
        expect(nodes.filter((n) => n.includes('slave'))).toHaveLength(3);
      } finally {
        client.disconnect();
      }
    } finally {
      const down = await redis('down');
      expect(down.stdout).toContain('Stopped 7 local Redis server(s)');
    }
  });
});
