/**
 * parseArgs for the kata's commands, that also reads the options npm kept for itself.
 *
 * `npm run lesson 1 -- --part 2` hands `--part 2` to the command. Without the
 * `--` (forgotten, or dropped by PowerShell: older npm.ps1 shims swallow the
 * first `--`, npm/cli#4903), npm takes `--part` as its own setting: it exports
 * `npm_config_part=true` to the command and passes the `2` on as a plain
 * argument, so the command would silently run exercise 2. This module reads
 * those `npm_config_*` variables for the options the command declares and
 *   - honours a flag (`--watch`, `--deep`, `--yes`…): npm kept nothing but "true";
 *   - honours `--part=2` (npm kept the value);
 *   - stops, for `--part 2`, with the exact command to type: which plain
 *     argument was the value cannot be told apart from the others.
 * A setting from an .npmrc file is configuration, not a swallowed option: it is
 * left alone (so `yes=true` for npx never confirms a reset).
 *
 * It also drops every `--` from the arguments, so `npm run lesson 1 -- -- --part 2`
 * (the usual workaround in PowerShell) works in every shell, and it turns an
 * unknown option into one line that lists the known ones.
 *
 * Drop-in: `import { parseArgs } from './lib/args.js'` instead of node:util's.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';
import { dim, fail } from './ui.js';
import { root } from './vitest-config.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What npm did with the options it kept, as found in the environment. */
export interface Swallowed {
  /** Options to use as if typed after `--`: name → true (a flag) or its value (`--part=2`). */
  honoured: Map<string, string | boolean>;
  /** Options whose value npm passed on as a plain argument (`--part 2`): their names, in declaration order. */
  lost: string[];
  /** Options npm mangled beyond recovery (`--lan` read as npm's own -l -a -n). */
  mangled: string[];
}

/** The environment variable npm sets for `--some-option`: npm_config_some_option. */
export const npmVariable = (name: string) => `npm_config_${name.replace(/-/g, '_')}`;

/** Words npm splits into its own one-letter options: the variables each leaves behind. */
const mangledBy: Record<string, string[]> = { lan: ['npm_config_long', 'npm_config_all'] };

/** Settings of the .npmrc files npm reads (project, user, global), key → value: configuration, not a command line. */
export function npmrcSettings(env: NodeJS.ProcessEnv = process.env, dir = root): Map<string, string> {
  const files = [env.npm_config_globalconfig, env.npm_config_userconfig ?? path.join(os.homedir(), '.npmrc'), path.join(dir, '.npmrc')];
  const settings = new Map<string, string>();
  for (const file of files) {
    if (!file || !existsSync(file)) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split(/\r?\n/)) {
      const match = /^\s*([^#;=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
      if (match) settings.set(match[1]!.toLowerCase(), match[2]!.replace(/^(["'])(.*)\1$/, '$2'));
    }
  }
  return settings;
}

/** The options npm kept for itself, from its environment; nothing when not started by npm. */
export function swallowedOptions(options: Options, args: string[], env: NodeJS.ProcessEnv, configured: Map<string, string>): Swallowed {
  const found: Swallowed = { honoured: new Map(), lost: [], mangled: [] };
  if (env.npm_lifecycle_event === undefined) return found;
  const typed = (name: string) => args.some((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  for (const [name, option] of Object.entries(options)) {
    if (typed(name)) continue;
    const negated = name.startsWith('no-') && option.type === 'boolean';
    const key = negated ? name.slice(3) : name;
    const value = env[npmVariable(key)];
    // The value an .npmrc gives is configuration (yes=true for npx); a different one came from the command line.
    if (value !== undefined && configured.get(key) === value) continue;
    if (mangledBy[name]?.every((variable) => env[variable] === 'true')) found.mangled.push(name);
    if (value === undefined) continue;
    if (option.type === 'boolean') {
      // npm keeps `--no-acl` as acl="" and `--watch` as watch="true"; "" is also the default of its own flags (yes).
      if (negated ? value === '' : value === 'true') found.honoured.set(name, true);
    } else if (value === 'true') found.lost.push(name);
    else if (value !== '') found.honoured.set(name, value);
  }
  return found;
}

/** An argument as a shell (bash, zsh, PowerShell, cmd alike) takes it back. */
const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "''")}'`);

/** The command to type: the npm script, its plain arguments, then `--` and the options. */
export function adviceCommand(env: NodeJS.ProcessEnv, positionals: string[], options: Array<[string, string | boolean]>): string {
  const event = env.npm_lifecycle_event ?? 'run';
  const script = event === 'test' ? 'npm test' : `npm run ${event}`;
  // The arguments package.json itself gives the script ("tsx scripts/redis.ts up") are not the learner's.
  const fixed = (env.npm_lifecycle_script ?? '').split(/\s+/).filter((t) => t !== '' && !t.startsWith('-'));
  const own = [...positionals];
  for (const token of fixed.slice(fixed.findIndex((t) => /\.(m?js|ts)$/.test(t)) + 1)) {
    if (own[0] === token) own.shift();
  }
  const flags = options.map(([name, value]) => (value === true ? `--${name}` : `--${name} ${quote(String(value))}`));
  return [script, ...own.map(quote), '--', ...flags].join(' ');
}

export type Parsed<T extends ParseArgsConfig> = ReturnType<typeof nodeParseArgs<T>>;

/** What a command line comes to: the options and arguments to run with, or why not and what to type instead. */
export type Resolved<T extends ParseArgsConfig> =
  | { ok: true; parsed: Parsed<T>; /** One line for the learner when npm kept options that are used anyway. */ note?: string }
  | { ok: false; message: string };

/** parseArgs plus the options npm kept (see the top of this file), without printing or exiting. */
export function resolveArgs<T extends ParseArgsConfig>(config: T, env: NodeJS.ProcessEnv = process.env, configured?: Map<string, string>): Resolved<T> {
  const args = (config.args ?? process.argv.slice(2)).filter((a) => a !== '--');
  const options = config.options ?? {};
  let parsed: Parsed<T>;
  try {
    // Positionals are allowed here: the value of an option npm kept may be among them (checked below).
    parsed = nodeParseArgs({ ...config, args, allowPositionals: true }) as Parsed<T>;
  } catch (error) {
    return { ok: false, message: refusal((error as Error).message, options) };
  }
  const swallowed = swallowedOptions(options, args, env, configured ?? (env.npm_lifecycle_event === undefined ? new Map() : npmrcSettings(env)));
  const unexpected = (positionals: string[]) =>
    config.allowPositionals || positionals.length === 0 ? null : refusal(`Unexpected argument '${positionals[0]}': this command takes none.`, options);
  if (swallowed.lost.length === 0 && swallowed.mangled.length === 0 && swallowed.honoured.size === 0) {
    const problem = unexpected(parsed.positionals);
    return problem ? { ok: false, message: problem } : { ok: true, parsed };
  }

  const positionals = [...parsed.positionals];
  // npm passed the lost options' values on as the last plain arguments, in the order they were typed.
  const values = positionals.splice(positionals.length - Math.min(swallowed.lost.length, positionals.length));
  const all: Array<[string, string | boolean]> = Object.keys(options).flatMap((name): Array<[string, string | boolean]> => {
    if (swallowed.honoured.has(name)) return [[name, swallowed.honoured.get(name)!]];
    if (swallowed.mangled.includes(name)) return [[name, true]];
    const i = swallowed.lost.indexOf(name);
    return i === -1 ? [] : [[name, values[i - (swallowed.lost.length - values.length)] ?? '<value>']];
  });
  if (swallowed.lost.length > 0 || swallowed.mangled.length > 0) {
    const names = [...swallowed.lost, ...swallowed.mangled].map((n) => `--${n}`).join(' and ');
    const how = swallowed.lost.length === 0 ? 'read it as its own one-letter options' : 'passed the value on as a plain argument';
    return {
      ok: false,
      message:
        `npm took ${names} for itself and ${how}: the \`--\` before the options did not reach npm ` +
        `(forgotten, or dropped by PowerShell). Type:\n  ${adviceCommand(env, positionals, all)}\n` +
        dim('  (In PowerShell, if the `--` keeps vanishing: type it twice, `-- --`, or run npm.cmd instead of npm.)'),
    };
  }
  const problem = unexpected(parsed.positionals);
  if (problem) return { ok: false, message: problem };
  for (const [name, value] of swallowed.honoured) (parsed.values as Record<string, unknown>)[name] = value;
  const shown = [...swallowed.honoured.keys()].map((n) => `--${n}`).join(', ');
  return { ok: true, parsed, note: `(npm took ${shown} for itself; used as if typed after \`--\`: ${adviceCommand(env, parsed.positionals, all)})` };
}

/** parseArgs's complaint in one line, with the options this command knows. */
function refusal(message: string, options: Options = {}): string {
  const known = Object.entries(options).map(([name, o]) => `--${name}${o.type === 'string' ? ' <value>' : ''}`);
  const what = message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '.');
  return `${what} ${known.length > 0 ? `The options here: ${known.join(', ')}.` : ''}`.trim();
}

export function parseArgs<T extends ParseArgsConfig>(config: T): Parsed<T> {
  const resolved = resolveArgs(config);
  if (!resolved.ok) fail(resolved.message);
  if (resolved.note) console.error(dim(resolved.note));
  // CACHELINGS_ARGS_ECHO=1: print what the command would run with, and stop (test/commands/npm-options.spec.ts).
  if (process.env.CACHELINGS_ARGS_ECHO === '1') {
    console.log(JSON.stringify(resolved.parsed));
    process.exit(0);
  }
  return resolved.parsed;
}
