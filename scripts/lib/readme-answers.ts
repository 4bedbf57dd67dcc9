/**
 * Finds answers handed out in a lesson README: a fenced code block that shares
 * `minRun` or more consecutive non-trivial lines with a reference solution.
 * Whitespace, comments and lines of lone braces do not count, so re-indenting or
 * re-commenting the reference does not hide it. test/engine/readme-answers.spec.ts
 * runs it on every lesson.
 */

export interface CodeBlock {
  /** 1-based README line of the block's first code line (after the ``` fence). */
  startLine: number;
  /** The fence's info string, e.g. "ts" or "python". */
  lang: string;
  lines: string[];
}

export interface SharedRun {
  /** README lines (1-based, inclusive) of the shared run. */
  readmeLines: [number, number];
  /** Solution lines (1-based, inclusive) of the same run. */
  solutionLines: [number, number];
  /** How many non-trivial lines the run has. */
  length: number;
}

/** The fenced code blocks of a Markdown file. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let open: { fence: string; block: CodeBlock } | null = null;
  lines.forEach((line, i) => {
    const fence = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
    if (open === null) {
      if (fence) open = { fence: fence[1]!, block: { startLine: i + 2, lang: fence[2] ?? '', lines: [] } };
    } else if (fence && fence[1]!.startsWith(open.fence) && line.trim() === fence[1]) {
      blocks.push(open.block);
      open = null;
    } else {
      open.block.lines.push(line);
    }
  });
  return blocks;
}

/**
 * A line as the comparison sees it: comments and all whitespace removed, or
 * null when nothing worth comparing is left (blank, a comment, a lone brace).
 */
export function normalise(line: string): string | null {
  const code = line
    .replace(/\/\*.*?\*\//g, '') // an inline /* … */
    .replace(/(^|[^:'"`\\])\/\/.*$/, '$1') // a // comment (not inside https://)
    .replace(/^\s*(\*|\/\*\*?|\*\/|#(?!!)).*$/, '') // a JSDoc line, or a # comment in a shell or Python block
    .replace(/\s+/g, '');
  if (code === '' || /^[{}()[\];,]*$/.test(code)) return null;
  return code;
}

interface Counted {
  text: string;
  /** 1-based line in its file. */
  line: number;
}

/**
 * The lines worth comparing. A line that holds several statements counts as
 * several (it is cut after each ; { and }), so squeezing the reference onto
 * fewer lines does not hide it either. A one-line type stays one line: types
 * are the API's shape, which a README may show.
 */
function significant(lines: string[], firstLine: number): Counted[] {
  const out: Counted[] = [];
  lines.forEach((raw, i) => {
    const text = normalise(raw);
    if (text === null) return;
    const pieces = /^\s*(export\s+)?(type|interface)\b/.test(raw) ? [text] : text.split(/(?<=[;{}])/);
    for (const piece of pieces) {
      const kept = normalise(piece);
      if (kept !== null) out.push({ text: kept, line: firstLine + i });
    }
  });
  return out;
}

/** Every maximal run of at least minRun consecutive significant lines the block shares with the solution. */
export function sharedRuns(block: CodeBlock, solution: string, minRun = 4): SharedRun[] {
  const a = significant(block.lines, block.startLine);
  const b = significant(solution.split('\n'), 1);
  const runs: SharedRun[] = [];
  // Longest common suffix lengths, one row at a time; a run is reported where it ends.
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      if (a[i - 1]!.text === b[j - 1]!.text) current[j] = previous[j - 1]! + 1;
    }
    for (let j = 1; j <= b.length; j++) {
      const length = current[j]!;
      const continues = i < a.length && j < b.length && a[i]!.text === b[j]!.text;
      if (length >= minRun && !continues) {
        runs.push({
          readmeLines: [a[i - length]!.line, a[i - 1]!.line],
          solutionLines: [b[j - length]!.line, b[j - 1]!.line],
          length,
        });
      }
    }
    previous = current;
  }
  return runs;
}
