/**
 * Default ports every laptop has free, and a clear answer when one is taken:
 * `npm run redis:up` and `npm run doctor` name the port and what holds it,
 * where the system can tell (ss, lsof, netstat + tasklist, netsh on Windows).
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPort,
  describePort,
  excludedRanges,
  hintFor,
  nameFromTasklist,
  ownerFromLsof,
  ownerFromSs,
  pidFromNetstat,
  setVariable,
} from '../../scripts/lib/port-check.js';
import { clusterPortsFrom, defaultPorts } from '../../scripts/lib/ports.js';
import { root } from '../../scripts/lib/vitest-config.js';

const cluster = clusterPortsFrom(defaultPorts.cluster);
const everyPort = [defaultPorts.redis, ...cluster, ...cluster.map((p) => p + 10_000)];

describe('the default ports', () => {
  it('stay off macOS AirPlay (5000, 7000-7100) and Windows Delivery Optimization (7680)', () => {
    for (const port of everyPort) {
      expect(port, String(port)).not.toBe(5000);
      expect(port >= 7000 && port <= 7100, String(port)).toBe(false);
      expect(port, String(port)).not.toBe(7680);
    }
  });

  it('stay below the ports systems hand out to outgoing connections and reserve in blocks (Linux 32768+, Windows 49152+)', () => {
    for (const port of everyPort) expect(port, String(port)).toBeLessThan(32_768);
  });
});

describe('what holds a port, as each system says it', () => {
  it('Linux (ss -Hltnp)', () => {
    const ss = [
      'LISTEN 0      511    127.0.0.1:17300 0.0.0.0:* users:(("redis-server",pid=20421,fd=8))',
      'LISTEN 0      4096   0.0.0.0:7300     0.0.0.0:* users:(("docker-proxy",pid=99,fd=4))',
    ].join('\n');
    expect(ownerFromSs(ss, 7300)).toEqual({ name: 'docker-proxy', pid: 99 });
    expect(ownerFromSs(ss, 17300)).toEqual({ name: 'redis-server', pid: 20421 });
    expect(ownerFromSs(ss, 7301)).toBeUndefined();
  });

  it('macOS (lsof -Fpc): the AirPlay Receiver, with how to turn it off', () => {
    const owner = ownerFromLsof('p512\ncControlCenter\n');
    expect(owner).toEqual({ name: 'ControlCenter', pid: 512 });
    expect(describePort({ port: 7000, state: 'listening', owner, hint: hintFor({ port: 7000, owner }) })).toBe(
      "port 7000 is taken by ControlCenter (pid 512): macOS's AirPlay Receiver (System Settings › General › AirDrop & Handoff › AirPlay Receiver turns it off)",
    );
  });

  it('Windows (netstat -ano, tasklist) and its reserved ranges (netsh … excludedportrange)', () => {
    const netstat = [
      '  Proto  Local Address          Foreign Address        State           PID',
      '  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1040',
      '  TCP    127.0.0.1:7300         0.0.0.0:0              LISTENING       4242',
      '  TCP    127.0.0.1:7300         127.0.0.1:50000        ESTABLISHED     4242',
    ].join('\r\n');
    expect(pidFromNetstat(netstat, 7300)).toBe(4242);
    expect(pidFromNetstat(netstat, 7301)).toBeUndefined();
    expect(nameFromTasklist('"com.docker.backend.exe","4242","Console","1","98,000 K"\r\n')).toBe('com.docker.backend.exe');
    const netsh = [
      '',
      'Protocol tcp Port Exclusion Ranges',
      '',
      'Start Port    End Port',
      '----------    --------',
      '      5357        5357',
      '      7261        7360',
      '     50000       50059     *',
      '',
      '* - Administered port exclusions.',
    ].join('\r\n');
    expect(excludedRanges(netsh)).toEqual([[5357, 5357], [7261, 7360], [50000, 50059]]);
    expect(hintFor({ port: 7300, excluded: [7261, 7360] })).toMatch(/^Windows reserves ports 7261-7360 \(Hyper-V, WSL 2 or Docker Desktop; netsh/);
    expect(setVariable('CACHELINGS_CLUSTER_PORTS', '7400-7405', 'win32')).toContain("$env:CACHELINGS_CLUSTER_PORTS='7400-7405'");
  });

  it('a simulated Windows: a reserved range and a listener, read from netsh and netstat', async () => {
    const answers: Record<string, string> = {
      netsh: 'Start Port    End Port\r\n      9100        9199\r\n',
      netstat: `  TCP    127.0.0.1:${held}         0.0.0.0:0              LISTENING       77\r\n`,
      tasklist: '"memurai.exe","77","Services","0","10,000 K"\r\n',
    };
    const report = await checkPort(held, (command) => answers[command] ?? null, 'win32');
    expect(report).toMatchObject({ state: 'listening', owner: { name: 'memurai.exe', pid: 77 }, hint: 'a Redis of its own, not a cachelings one' });
  });
});

let holder: Server;
let held = 0;
const state = mkdtempSync(path.join(tmpdir(), 'cachelings-ports-'));
beforeAll(async () => {
  // A port low enough for a cluster range ending there (its bus ports, +10000, must exist): the first free from 7376.
  for (let port = 7376; port < 7400 && held === 0; port++) {
    holder = createServer();
    holder.listen(port, '127.0.0.1');
    const [event] = (await Promise.race([once(holder, 'listening'), once(holder, 'error')])) as [unknown];
    if (event === undefined) held = port;
  }
  expect(held).toBeGreaterThan(0);
});
afterAll(() => {
  holder.close();
  rmSync(state, { recursive: true, force: true });
});

describe('a port something else holds', () => {
  it('is found taken, by this very process where the system names it', async () => {
    const report = await checkPort(held);
    expect(report.state).toBe('listening');
    if (report.owner) expect(report.owner.pid).toBe(process.pid);
    expect(describePort(report)).toMatch(new RegExp(`^port ${held} is taken`));
  });

  it('stops npm run redis:up before it starts anything, with the port, its owner and ports to move to', { timeout: 30_000 }, async () => {
    // Six ports ending with the held one: the cluster cannot start there.
    const range = `${held - 5}-${held}`;
    const run = promisify(execFile);
    const result = await run(process.execPath, ['--import', 'tsx', 'scripts/redis.ts', 'up', '--local'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', CACHELINGS_CLUSTER_PORTS: range, CACHELINGS_REDIS_PORT: String(held - 6), CACHELINGS_STATE_DIR: state },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Cannot start Redis there: port ${held} is taken`);
    expect(result.stderr).toMatch(/CACHELINGS_CLUSTER_PORTS=\d+-\d+/);
  });
});
