/**
 * Hints agree with the specs and the reference: a hint that names a Redis
 * command the reference never sends, or a function that does not exist, sends
 * a stuck learner the wrong way (issue 25: "HGET vary, then HGET of the
 * variant" where the specs need one HMGET).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessons, type Lesson } from '../../manifest.js';
import { codeLineNumbers } from '../../scripts/lib/code-lines.js';
import { root } from '../../scripts/lib/vitest-config.js';

const { list } = createRequire(import.meta.url)('@ioredis/commands') as { list: string[] };
const redisCommands = new Set(list.map((c) => c.toUpperCase()));

/** Words that are Redis commands but that hints use as plain words. */
const plainWords = new Set(['TTL']);
/** Commands a hint may name as what the lesson replaces, never as advice. */
const namedAsTheProblem: Record<string, string[]> = {
  '05-invalidation/invalidate.ts': ['KEYS', 'DEL'],
};

const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** A file's code without its comments: a command named in a comment is not a command sent. */
function codeOf(file: string): string {
  const source = read(file);
  const lines = source.split('\n');
  return [...codeLineNumbers(source)].map((n) => lines[n - 1]!.replace(/\s\/\/.*$/, '')).join('\n');
}

/** The reference of an exercise and the given code it imports (with what that re-exports), as code. */
function referenceCode(lesson: Lesson, file: string): string {
  const seen = new Set<string>();
  const visit = (relative: string): string => {
    if (seen.has(relative) || !existsSync(path.join(root, relative))) return '';
    seen.add(relative);
    const code = codeOf(relative);
    const imports = [...code.matchAll(/from\s+'(\.{1,2}\/[^']+)'/g)]
      .map((m) => path.normalize(path.join(path.dirname(relative), m[1]!.replace(/\.js$/, '.ts'))))
      .filter((f) => f.startsWith('provided/') || f.startsWith('solutions/'));
    return [code, ...imports.map(visit)].join('\n');
  };
  return visit(`solutions/${lesson.slug}/${file}`);
}

/**
 * Every name a hint may call without saying whose it is: any identifier of the
 * lesson's references and of the given code, the exports of Node's built-in
 * modules, and the methods of JavaScript's own objects.
 */
function knownNames(lesson: Lesson): Set<string> {
  const names = new Set<string>();
  const files = [
    ...readdirSync(path.join(root, 'provided')).filter((f) => f.endsWith('.ts')).map((f) => `provided/${f}`),
    ...readdirSync(path.join(root, 'solutions', lesson.slug)).map((f) => `solutions/${lesson.slug}/${f}`),
  ];
  for (const file of files) for (const m of codeOf(file).matchAll(/[A-Za-z_$][\w$]*/g)) names.add(m[0]);
  for (const module of builtinModules) {
    try {
      for (const key of Object.keys(createRequire(import.meta.url)(`node:${module}`) as object)) names.add(key);
    } catch {
      // not every built-in loads everywhere
    }
  }
  for (const proto of [Array.prototype, String.prototype, Object, Promise, Buffer, Map.prototype, Set.prototype, Math, JSON, Number, globalThis]) {
    for (const key of Object.getOwnPropertyNames(proto)) names.add(key);
  }
  return names;
}

/** What provided/<file>.ts exports. */
function providedExports(file: string): Set<string> {
  const source = read(`provided/${file}`);
  const names = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:async\s+)?(?:function\*?|const|let|class|interface|type|abstract class)\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1]!);
  for (const m of source.matchAll(/export\s*(?:type\s*)?\{([^}]*)\}/g)) for (const n of m[1]!.split(',')) names.add(n.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()!);
  return names;
}

describe('hints', () => {
  const checked = lessons;
  const each = checked.flatMap((lesson) => lesson.exercises.map((exercise) => ({ lesson, exercise, name: `${lesson.slug}/${exercise.file}` })));

  it.each(each)('$name names only Redis commands its reference sends', ({ lesson, exercise, name }) => {
    const code = referenceCode(lesson, exercise.file);
    const problems: string[] = [];
    exercise.hints.forEach((hint, i) => {
      for (const m of hint.matchAll(/\b[A-Z]{3,}\b(?!\[)/g)) {
        const command = m[0];
        if (!redisCommands.has(command) || plainWords.has(command) || namedAsTheProblem[name]?.includes(command)) continue;
        if (!new RegExp(`\\b${command}(?:Buffer)?\\b`, 'i').test(code)) problems.push(`hint ${i + 1} names ${command}, which the reference never sends`);
      }
    });
    expect(problems).toEqual([]);
  });

  it.each(each)('$name names only functions that exist, and given code by the file that exports it', ({ lesson, exercise }) => {
    const known = knownNames(lesson);
    const problems: string[] = [];
    exercise.hints.forEach((hint, i) => {
      for (const m of hint.matchAll(/\b([A-Za-z_$][\w$]*)\s+(?:from|in)\s+provided\/([\w-]+\.ts)/g)) {
        const [, name, file] = m;
        if (!existsSync(path.join(root, 'provided', file!))) problems.push(`hint ${i + 1}: provided/${file} does not exist`);
        else if (/^[a-z]/i.test(name!) && !['it', 'one', 'the', 'is', 'are', 'them', 'that', 'this', 'LruCache'].includes(name!) && /[A-Z]/.test(name!.slice(1)) && !providedExports(file!).has(name!)) {
          problems.push(`hint ${i + 1}: provided/${file} exports no ${name}`);
        }
      }
      // An unqualified call, as in "cacheKey(args, this)": a name the reference, the given code or JavaScript defines.
      for (const m of hint.matchAll(/(?<![\w$.#])([a-z][a-z0-9]*[A-Z][\w$]*)\(/g)) {
        if (!known.has(m[1]!)) problems.push(`hint ${i + 1} calls ${m[1]}(), which neither the reference nor provided/ defines`);
      }
    });
    expect(problems).toEqual([]);
  });
});
