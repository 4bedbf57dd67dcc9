/**
 * Which lines of a TypeScript file are code: not blank, not only a comment.
 * The kata counts what a learner writes in such lines (reference minus
 * starter), so a comment or a blank line never makes an exercise look bigger.
 *
 * A small scanner rather than a regular expression: a glob such as
 * 'users:' + '*' + '/' in a string, or two slashes inside a regex literal, must
 * not open or close a comment.
 */

type Mode = 'code' | 'line-comment' | 'block-comment' | 'single' | 'double' | 'template' | 'regex';

/** Characters after which a `/` starts a regular expression, not a division. */
const beforeRegex = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const keywordsBeforeRegex = /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|void|yield|await|throw|delete|new)$/;

/** The 1-based numbers of the lines that hold code. */
export function codeLineNumbers(source: string): Set<number> {
  const text = source.replace(/\r\n?/g, '\n');
  const code = new Set<number>();
  let mode: Mode = 'code';
  /** Brace depth of each `${` open inside a template literal, innermost last. */
  const templates: number[] = [];
  let braces = 0;
  let line = 1;
  let lastSignificant = ''; // the last non-space code character (or word end), to tell a regex from a division
  let inClass = false; // inside [...] of a regex
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '\n') {
      line++;
      if (mode === 'line-comment') mode = 'code';
      if (mode === 'single' || mode === 'double' || mode === 'template') code.add(line); // a string that goes on
      continue;
    }
    switch (mode) {
      case 'line-comment':
        continue;
      case 'block-comment':
        if (c === '*' && next === '/') {
          mode = 'code';
          i++;
        }
        continue;
      case 'single':
      case 'double':
        code.add(line);
        if (c === '\\') i++;
        else if ((mode === 'single' && c === "'") || (mode === 'double' && c === '"')) {
          mode = 'code';
          lastSignificant = 'x';
        }
        continue;
      case 'template':
        code.add(line);
        if (c === '\\') i++;
        else if (c === '`') {
          mode = 'code';
          lastSignificant = 'x';
        } else if (c === '$' && next === '{') {
          templates.push(braces);
          braces++;
          i++;
          mode = 'code';
          lastSignificant = '{';
        }
        continue;
      case 'regex':
        code.add(line);
        if (c === '\\') i++;
        else if (c === '[') inClass = true;
        else if (c === ']') inClass = false;
        else if (c === '/' && !inClass) {
          mode = 'code';
          lastSignificant = 'x';
        }
        continue;
      case 'code':
        if (c === ' ' || c === '\t') continue;
        if (c === '/' && next === '/') {
          mode = 'line-comment';
          i++;
          continue;
        }
        if (c === '/' && next === '*') {
          mode = 'block-comment';
          i++;
          continue;
        }
        code.add(line);
        if (c === "'") mode = 'single';
        else if (c === '"') mode = 'double';
        else if (c === '`') mode = 'template';
        else if (c === '/' && (beforeRegex.has(lastSignificant) || keywordsBeforeRegex.test(wordBefore(text, i)))) {
          mode = 'regex';
          inClass = false;
        } else if (c === '{') {
          braces++;
          lastSignificant = c;
        } else if (c === '}') {
          braces--;
          if (templates.length > 0 && templates.at(-1) === braces) {
            templates.pop();
            mode = 'template';
          }
          lastSignificant = c;
        } else lastSignificant = /[\w$)\].]/.test(c) ? 'x' : c;
        continue;
    }
  }
  return code;
}

/** The text of the line before position i, for the keyword test. */
function wordBefore(text: string, i: number): string {
  const start = text.lastIndexOf('\n', i - 1) + 1;
  return text.slice(start, i).trimEnd();
}

/** How many lines of a file are code. */
export function countCodeLines(source: string): number {
  return codeLineNumbers(source).size;
}
