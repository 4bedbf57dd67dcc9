/**
 * Is a port free for `npm run redis:up`, and if not, what holds it? Asked where
 * the system can tell: a connection and a bind say whether the port is taken or
 * reserved; `ss` (Linux), `lsof` (macOS) or `netstat` with `tasklist` (Windows)
 * name the process; `netsh` lists the ranges Windows reserves (Hyper-V, WSL 2,
 * Docker Desktop). Quick, and never throws: an answer it cannot get is left out.
 */
import { spawnSync } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

export type PortState = 'free' | 'listening' | 'in use' | 'reserved';

export interface PortReport {
  port: number;
  state: PortState;
  /** The process that listens there, where the system says. */
  owner?: { name: string; pid?: number };
  /** A Windows excluded range the port falls in: [first, last]. */
  excluded?: [number, number];
  /** What that owner usually is, and how to free the port. */
  hint?: string;
}

type Run = (command: string, args: string[]) => string | null;
const run: Run = (command, args) => {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 5_000, windowsHide: true });
  return r.status === 0 ? r.stdout : null;
};

/** Something accepts connections on 127.0.0.1:port (a wildcard listener too, which a bind on macOS may not see). */
function accepts(port: number, timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A bind on 127.0.0.1:port: free, taken (EADDRINUSE) or refused (EACCES: a port Windows reserves). */
function bindable(port: number): Promise<PortState> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EACCES' ? 'reserved' : 'in use'));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve('free')));
  });
}

/** `ss -Hltnp` (Linux): users:(("redis-server",pid=123,fd=6)) on the line of the port. Names only this user's processes without root. */
export function ownerFromSs(output: string, port: number): PortReport['owner'] {
  for (const line of output.split('\n')) {
    // State, Recv-Q, Send-Q, local address:port, peer, process
    if (!line.trim().split(/\s+/)[3]?.endsWith(`:${port}`)) continue;
    const user = /users:\(\("([^"]+)",pid=(\d+)/.exec(line);
    if (user) return { name: user[1]!, pid: Number(user[2]) };
  }
  return undefined;
}

/** `lsof -nP -iTCP:<port> -sTCP:LISTEN -Fpc` (macOS, Linux): "p512" then "cControlCenter". */
export function ownerFromLsof(output: string): PortReport['owner'] {
  const pid = /^p(\d+)$/m.exec(output)?.[1];
  const name = /^c(.+)$/m.exec(output)?.[1];
  return name ? { name, pid: pid ? Number(pid) : undefined } : undefined;
}

/** `netstat -ano -p tcp` (Windows): the PID of the LISTENING line of the port; `tasklist /FO CSV /NH` names it. */
export function pidFromNetstat(output: string, port: number): number | undefined {
  for (const line of output.split(/\r?\n/)) {
    const [proto, local, , state, pid] = line.trim().split(/\s+/);
    if (proto === 'TCP' && local?.endsWith(`:${port}`) && state === 'LISTENING' && pid) return Number(pid);
  }
  return undefined;
}

export function nameFromTasklist(output: string): string | undefined {
  return /^"([^"]+)"/.exec(output.trim())?.[1];
}

/** `netsh interface ipv4 show excludedportrange protocol=tcp` (Windows): the ranges no program may bind. */
export function excludedRanges(output: string): Array<[number, number]> {
  return [...output.matchAll(/^\s*(\d+)\s+(\d+)\s*\*?\s*$/gm)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]);
}

/** What a known owner is, and how to get the port back (or move ours). */
export function hintFor(report: Pick<PortReport, 'port' | 'owner' | 'excluded'>): string | undefined {
  if (report.excluded) {
    return `Windows reserves ports ${report.excluded[0]}-${report.excluded[1]} (Hyper-V, WSL 2 or Docker Desktop; netsh interface ipv4 show excludedportrange protocol=tcp)`;
  }
  const name = report.owner?.name.toLowerCase() ?? '';
  if (name.startsWith('controlce') || name.includes('airplay')) {
    return "macOS's AirPlay Receiver (System Settings › General › AirDrop & Handoff › AirPlay Receiver turns it off)";
  }
  if (name.startsWith('redis-server') || name.startsWith('memurai') || name.startsWith('valkey')) return 'a Redis of its own, not a cachelings one';
  if (/docker|vpnkit|wslrelay|com\.docker/.test(name)) return 'a container port published by Docker (docker ps shows which)';
  return undefined;
}

/** One port: free, or taken and by what. */
export async function checkPort(port: number, exec: Run = run, platform = process.platform): Promise<PortReport> {
  const state: PortState = (await accepts(port)) ? 'listening' : await bindable(port);
  const report: PortReport = { port, state };
  if (state === 'free') return report;
  if (platform === 'win32') {
    const excluded = excludedRanges(exec('netsh', ['interface', 'ipv4', 'show', 'excludedportrange', 'protocol=tcp']) ?? '').find(([a, b]) => port >= a && port <= b);
    if (excluded) report.excluded = excluded;
    const pid = pidFromNetstat(exec('netstat', ['-ano', '-p', 'tcp']) ?? '', port);
    const name = pid === undefined ? undefined : nameFromTasklist(exec('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH']) ?? '');
    if (pid !== undefined) report.owner = { name: name ?? 'a process', pid };
  } else {
    report.owner =
      (platform === 'linux' ? ownerFromSs(exec('ss', ['-Hltnp']) ?? '', port) : undefined) ??
      ownerFromLsof(exec('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc']) ?? '');
  }
  report.hint = hintFor(report);
  return report;
}

/** "7300 is taken by ControlCenter (pid 512): macOS's AirPlay Receiver (…)". */
export function describePort(report: PortReport): string {
  const by = report.owner ? ` by ${report.owner.name}${report.owner.pid ? ` (pid ${report.owner.pid})` : ''}` : '';
  const what = report.state === 'reserved' ? 'is reserved by the system' : `is taken${by}`;
  return `port ${report.port} ${what}${report.hint ? `: ${report.hint}` : ''}`;
}

/** The ones of `ports` that are taken or reserved; [] when all are free. */
export async function takenPorts(ports: number[], exec: Run = run, platform = process.platform): Promise<PortReport[]> {
  const reports = await Promise.all(ports.map((port) => checkPort(port, exec, platform)));
  return reports.filter((r) => r.state !== 'free');
}

/** The first range of six consecutive ports (and their bus ports) from `candidates` that is free here, as "FIRST-LAST". */
export async function freeClusterRange(candidates = [7400, 7500, 7600, 7800, 7900, 8400, 9300], exec: Run = run): Promise<string | undefined> {
  for (const first of candidates) {
    const ports = Array.from({ length: 6 }, (_, i) => first + i);
    if ((await takenPorts([...ports, ...ports.map((p) => p + 10_000)], exec)).length === 0) return `${first}-${first + 5}`;
  }
  return undefined;
}

/** How to set a variable for the commands of this session, in the shell this machine most likely has. */
export function setVariable(name: string, value: string, platform = process.platform): string {
  return platform === 'win32' ? `$env:${name}='${value}' (PowerShell; cmd: set ${name}=${value})` : `export ${name}=${value}`;
}
