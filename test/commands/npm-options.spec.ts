/**
 * Every documented command, typed without its `--` (forgotten, or dropped by
 * PowerShell's npm.ps1): it does what the README says, or stops and says
 * exactly what to type. npm itself parses each command line (a real `npm run`,
 * in a scratch project whose scripts only record what they were given), and
 * the kata's parseArgs (scripts/lib/args.ts) then reads it with the options
 * the command declares.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviceCommand, npmrcSettings, resolveArgs, type Parsed } from '../../scripts/lib/args.js';
import { root } from '../../scripts/lib/vitest-config.js';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** The commands the README and the commands' own messages show with a `--`, placeholders filled in. */
const documented = [
  'npm run lesson 1 -- --watch',
  'npm run lesson 1 -- --part 2',
  'npm run lesson 1 -- --part 1 --watch',
  'npm run lesson 1 -- --redis real',
  'npm run lesson 1 -- --poll',
  'npm run lesson 1 -- --deep',
  'npm run lesson 3 -- --redis real',
  'npm run lesson 3 -- --redis container',
  'npm run lesson 3 -- --redis real --deep',
  'npm run solution 3 -- --redis real',
  'npm run progress -- --verify',
  'npm run progress -- --verify --redis real',
  'npm run reset 1 -- --yes',
  'npm run reset -- --all --yes',
  'npm run room -- start',
  'npm run room -- start --lan',
  'npm run room -- start --stuck-after 5m',
  'npm run room -- join abcdefghjk --name Ann --redis redis://cachelings-room-abcdefghjk:pw@10.0.0.5:6379/',
  'npm run room -- leave',
  'npm run room -- end',
  'npm run mutation 1 -- --force',
  'npm run mutation -- --changed main',
  'npm run mutation -- --redis real',
  'npm run redis:up -- --docker',
  'npm run hint 1 -- memoize 2',
  'npm run bench -- lru-ttl',
  'npm run bench kata -- --quick',
  'npm run bench kata -- --runs 15',
  'npm run readme:table -- --json',
  'npm run lesson 1 -- -- --part 2',
];

/** Fills in the README's placeholders, so that its commands can be compared with the list above. */
const filled = (command: string) =>
  command
    .replace(/\bN\b/g, '1')
    .replace(/\bCODE\b/g, 'abcdefghjk')
    .replace(/--name "[^"]*"/, '--name Ann')
    .replace(/--redis '[^']*'/, '--redis redis://cachelings-room-abcdefghjk:pw@10.0.0.5:6379/')
    .trim();

/** Splits a command line as a shell would (quotes, no expansion). */
const words = (line: string) => [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);

/** scripts/<file>.ts and the arguments package.json puts before the learner's, for one npm script. */
function scriptOf(name: string): { file: string; fixed: string[] } {
  const [runner, entry, ...rest] = words(pkg.scripts[name]!);
  if (runner === 'node' && entry === 'scripts/run.mjs') return { file: `scripts/${rest[0]}.ts`, fixed: rest.slice(1) };
  if (runner === 'tsx') return { file: entry!, fixed: rest };
  throw new Error(`npm run ${name} starts neither scripts/run.mjs nor tsx`);
}

/** The object literal a script passes to parseArgs, evaluated: the options it declares. */
function configOf(file: string): ParseArgsConfig {
  const source = readFileSync(path.join(root, file), 'utf8');
  const start = source.indexOf('parseArgs({');
  if (start === -1) return { allowPositionals: true, options: {} }; // takes no options (doctor)
  let depth = 0;
  let end = start + 'parseArgs('.length;
  for (; end < source.length; end++) {
    if (source[end] === '{') depth++;
    if (source[end] === '}' && --depth === 0) break;
  }
  return new Function(`return (${source.slice(start + 'parseArgs('.length, end + 1)});`)() as ParseArgsConfig;
}

let scratch: string;
const npmCli = process.env.npm_execpath;
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'cachelings-npm-'));
  writeFileSync(
    path.join(scratch, 'capture.cjs'),
    "process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('npm_'))) }));\n",
  );
  const scripts = Object.fromEntries(
    Object.keys(pkg.scripts)
      .filter((name) => /scripts\/run\.mjs|^tsx /.test(pkg.scripts[name]!))
      .map((name) => [name, ['node capture.cjs', ...scriptOf(name).fixed].join(' ')]),
  );
  writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'npm-options', version: '1.0.0', private: true, scripts }));
  if (existsSync(path.join(root, '.npmrc'))) copyFileSync(path.join(root, '.npmrc'), path.join(scratch, '.npmrc'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What the script receives from a real `npm run …` typed as `line`: its arguments and npm's environment. */
async function throughNpm(line: string): Promise<{ argv: string[]; env: NodeJS.ProcessEnv }> {
  const [, ...args] = words(line); // without "npm"
  const npm = npmCli && existsSync(npmCli) ? [process.execPath, npmCli] : ['npm'];
  const { stdout } = await run(npm[0]!, [...npm.slice(1), '--silent', ...args], { cwd: scratch, env: { ...cleanEnv, NO_COLOR: '1' } });
  return JSON.parse(stdout) as { argv: string[]; env: NodeJS.ProcessEnv };
}

const scriptName = (line: string) => (words(line)[1] === 'test' ? 'test' : words(line)[2]!);
const shape = (parsed: Parsed<ParseArgsConfig>) => ({ values: { ...parsed.values }, positionals: parsed.positionals });

describe('a documented command without its `--`', () => {
  it('the list covers every command the README shows with a `--`', () => {
    const shown = [...readme.matchAll(/`(npm (?:run [a-z:]+|test)\b[^`]*? -- [^`]*)`/g), ...readme.matchAll(/^(npm (?:run [a-z:]+|test)\b.*? -- .*)$/gm)]
      .map((m) => filled(m[1]!.replace(/\s+#.*$/, '')))
      .filter((c) => !/[[<|]/.test(c)); // a usage line with alternatives, not a command
    expect(shown.length).toBeGreaterThan(5);
    for (const command of shown) expect(documented, command).toContain(command);
  });

  it.each(documented)('%s, typed without the first `--`', { timeout: 20_000 }, async (command) => {
    const name = scriptName(command);
    const { file, fixed } = scriptOf(name);
    const config = configOf(file);
    const tokens = words(command);
    const typed = tokens.slice(name === 'test' ? 2 : 3);
    const expected = resolveArgs({ ...config, args: [...fixed, ...typed] }, {});
    expect(expected.ok, `${command} itself`).toBe(true);
    const want = shape((expected as { parsed: Parsed<ParseArgsConfig> }).parsed);

    const dash = tokens.indexOf('--');
    const slip = [...tokens.slice(0, dash), ...tokens.slice(dash + 1)].join(' ');
    const npm = await throughNpm(slip);
    const resolved = resolveArgs({ ...config, args: npm.argv }, npm.env, npmrcSettings(npm.env, root));
    if (resolved.ok) {
      // It does what the README says.
      expect(shape(resolved.parsed), slip).toEqual(want);
      return;
    }
    // It stops, and the command it prints does what the README says.
    expect(resolved.message, slip).toMatch(/npm took --[\w-]+.* for itself/);
    const advice = /Type:\n\s+(.+)/.exec(resolved.message)?.[1];
    expect(advice, resolved.message).toBeDefined();
    const again = await throughNpm(advice!);
    const followed = resolveArgs({ ...config, args: again.argv }, again.env, npmrcSettings(again.env, root));
    expect(followed.ok, advice).toBe(true);
    expect(shape((followed as { parsed: Parsed<ParseArgsConfig> }).parsed), advice).toEqual(want);
  });

  it('the workaround for PowerShell, `-- --`, works in every shell', async () => {
    const { file } = scriptOf('lesson');
    const npm = await throughNpm('npm run lesson 1 -- -- --part 2');
    const resolved = resolveArgs({ ...configOf(file), args: npm.argv }, npm.env, npmrcSettings(npm.env, root));
    expect(resolved.ok && (resolved.parsed.values as { part?: string }).part).toBe('2');
  });

  it('an option set in an .npmrc is configuration, not a swallowed option: `yes=true` for npx never confirms a reset', () => {
    const env = { npm_lifecycle_event: 'reset', npm_config_yes: 'true' };
    const config = { ...configOf('scripts/reset.ts'), args: ['1'] };
    expect(resolveArgs(config, env, new Map([['yes', 'true']]))).toMatchObject({ ok: true, parsed: { values: { yes: false } } });
    expect(resolveArgs(config, env, new Map([['yes', 'false']]))).toMatchObject({ ok: true, parsed: { values: { yes: true } } });
  });

  it('the advice leaves out what package.json passes itself, and quotes what a shell would split', () => {
    const env = { npm_lifecycle_event: 'redis:up', npm_lifecycle_script: 'tsx scripts/redis.ts up' };
    expect(adviceCommand(env, ['up'], [['docker', true]])).toBe('npm run redis:up -- --docker');
    expect(adviceCommand({ npm_lifecycle_event: 'room' }, ['join', 'abcdefghjk'], [['name', "Ann O'Hara"]])).toBe(
      "npm run room join abcdefghjk -- --name 'Ann O''Hara'",
    );
  });

  it('an unknown option is one line that lists the known ones, not a stack trace', () => {
    const resolved = resolveArgs({ ...configOf('scripts/lesson.ts'), args: ['1', '--deeep'] }, {});
    expect(resolved).toMatchObject({ ok: false, message: expect.stringMatching(/Unknown option '--deeep'.*--deep/) });
  });

  it('end to end: `npm run solution 1 --part 2` stops before it runs anything, with the command to type', { timeout: 30_000 }, async () => {
    const npm = npmCli && existsSync(npmCli) ? [process.execPath, npmCli] : ['npm'];
    let output = '';
    try {
      execFileSync(npm[0]!, [...npm.slice(1), 'run', '--silent', 'solution', '1', '--part', '2'], {
        cwd: root,
        env: { ...cleanEnv, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      output = String((error as { stderr: Buffer }).stderr);
    }
    expect(output).toContain('npm took --part for itself');
    expect(output).toContain('npm run solution 1 -- --part 2');
  });
});
