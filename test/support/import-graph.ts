/**
 * The import graph of the project's TypeScript, read without the compiler (milliseconds): every
 * `import`, `import type`, `export ... from`, dynamic `import('...')`, `require('...')` (of a
 * require made with createRequire, as TypeScript counts it) and process started by
 * path between the project's own files, and the cycles in a graph. Pure functions over plain
 * data besides the two that read the tree, so tests can feed them made-up sources and graphs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

/**
 * A module specifier as written in a file, with its 1-based line. `process`: not an import but
 * `new URL('./x.js', import.meta.url)`, a file this one starts as a process of its own: it
 * depends on that file as surely as on an import.
 */
export interface ImportSite {
  specifier: string;
  line: number;
  kind?: 'process';
}

/** One import between two project files; paths are relative to the project root, with `/`. */
export interface ImportEdge {
  from: string;
  to: string;
  line: number;
  kind?: 'process';
}

export interface ImportGraph {
  files: string[];
  edges: ImportEdge[];
}

// ---------------------------------------------------------------------------------------------
// Reading the imports of one file

type Token = { kind: 'word' | 'punct' | 'string'; text: string; line: number };

/** Words after which a `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'instanceof', 'yield', 'await']);

/** Sticky patterns, tried at one position: a run of name characters, of blanks, the rest of a string. */
const WORD = /[\w$]+/y;
const BLANKS = /[ \t\r\f\v\u00a0\ufeff]+/y;
const SINGLE_QUOTED = /(?:[^'\\\n]|\\.)*'?/y;
const DOUBLE_QUOTED = /(?:[^"\\\n]|\\.)*"?/y;
/** A template's text up to its end or its next `${` (escapes skipped). */
const TEMPLATE_TEXT = /(?:[^`\\$]|\\[^]|\$(?!\{))*/y;

const countLines = (text: string): number => {
  let lines = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
};

/**
 * Splits TypeScript into words, punctuation and string literals, dropping comments, regular
 * expressions and the text of template literals (their `${...}` parts are tokenized), so that an
 * `import` written inside a string or a comment is never taken for one.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const templateDepths: number[] = []; // brace depth at which each open `${` resumes its template
  let depth = 0;
  let line = 1;
  let i = source.startsWith('#!') ? source.indexOf('\n') : 0; // a shebang line
  if (i < 0) return tokens;
  const n = source.length;
  const match = (pattern: RegExp): string => {
    pattern.lastIndex = i;
    return pattern.exec(source)?.[0] ?? '';
  };
  const regexMayStart = (): boolean => {
    const last = tokens[tokens.length - 1];
    if (!last) return true;
    if (last.kind === 'string') return false;
    if (last.kind === 'word') return BEFORE_REGEX.has(last.text);
    return last.text !== ')' && last.text !== ']' && last.text !== '}';
  };
  /** From just past a backquote or a template's closing brace: its text, then its end or a `${`. */
  const skipTemplate = (): void => {
    const text = match(TEMPLATE_TEXT);
    line += countLines(text);
    i += text.length;
    if (source[i] === '$') {
      i += 2;
      templateDepths.push(depth);
      depth++;
    } else i++;
  };
  while (i < n) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i += match(BLANKS).length || 1;
    } else if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      i = end < 0 ? n : end;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      line += countLines(source.slice(i, stop));
      i = stop;
    } else if (c === '"' || c === "'") {
      i++;
      const body = match(c === '"' ? DOUBLE_QUOTED : SINGLE_QUOTED);
      i += body.length;
      const closed = body.endsWith(c) && !body.endsWith(`\\${c}`);
      const text = closed ? body.slice(0, -1) : body;
      tokens.push({ kind: 'string', text: text.includes('\\') ? text.replace(/\\(.)/g, '$1') : text, line });
    } else if (c === '`') {
      tokens.push({ kind: 'punct', text: '`', line });
      i++;
      skipTemplate();
    } else if (c === '/' && regexMayStart() && regexEnd(source, i) !== undefined) {
      i = regexEnd(source, i)!;
      tokens.push({ kind: 'punct', text: '/regex/', line });
    } else {
      const word = match(WORD);
      if (word !== '') {
        tokens.push({ kind: 'word', text: word, line });
        i += word.length;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === depth) {
          templateDepths.pop();
          i++;
          skipTemplate();
          continue;
        }
      }
      tokens.push({ kind: 'punct', text: c, line });
      i++;
    }
  }
  return tokens;
}

/** Where a regular expression literal starting at `start` ends (after its flags); undefined if the line ends first. */
function regexEnd(source: string, start: number): number | undefined {
  let inClass = false;
  for (let i = start + 1; i < source.length && source[i] !== '\n'; i++) {
    const r = source[i];
    if (r === '\\') i++;
    else if (r === '[') inClass = true;
    else if (r === ']') inClass = false;
    else if (r === '/' && !inClass) {
      let end = i + 1;
      while (end < source.length && /[a-z]/i.test(source[end]!)) end++;
      return end;
    }
  }
  return undefined;
}

/** Tokens that may stand between `import`/`export` and `from`: names, `type`, `as`, `*`, braces, commas. */
const isClauseToken = (t: Token): boolean => t.kind === 'word' || (t.kind === 'punct' && /^[*{},]$/.test(t.text));

/**
 * Every module a file imports or re-exports: static imports and exports (type-only included),
 * side-effect imports, `import('...')` calls and types, and `require('...')` calls.
 */
export function parseImports(source: string): ImportSite[] {
  const tokens = tokenize(source);
  const sites: ImportSite[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind !== 'word' || (t.text !== 'import' && t.text !== 'export' && t.text !== 'require')) continue;
    const before = tokens[k - 1];
    if (before && before.kind === 'punct' && (before.text === '.' || before.text === '?')) continue; // a member named import
    const next = tokens[k + 1];
    if (!next) continue;
    if (t.text === 'require') {
      if (next.text === '(' && tokens[k + 2]?.kind === 'string' && tokens[k + 3]?.text === ')') sites.push({ specifier: tokens[k + 2].text, line: tokens[k + 2].line });
      continue;
    }
    if (t.text === 'import' && next.text === '.') {
      const url = processUrl(tokens, k);
      if (url) sites.push({ ...url, kind: 'process' });
      continue;
    }
    if (t.text === 'import' && next.kind === 'string') {
      sites.push({ specifier: next.text, line: next.line });
    } else if (t.text === 'import' && next.text === '(' && tokens[k + 2]?.kind === 'string') {
      sites.push({ specifier: tokens[k + 2].text, line: tokens[k + 2].line });
    } else {
      let j = k + 1;
      while (j < tokens.length && isClauseToken(tokens[j]) && tokens[j].text !== 'from') j++;
      const from = tokens[j];
      const target = tokens[j + 1];
      if (from?.kind === 'word' && from.text === 'from' && target?.kind === 'string') sites.push({ specifier: target.text, line: target.line });
    }
  }
  return sites;
}

/** `new URL('<string>', import.meta.url)` ending at the `import` token k: the string and its line. */
function processUrl(tokens: Token[], k: number): ImportSite | undefined {
  const text = (offset: number) => tokens[k + offset]?.text;
  const meta = text(1) === '.' && text(2) === 'meta' && text(3) === '.' && text(4) === 'url' && text(5) === ')';
  const call = text(-1) === ',' && tokens[k - 2]?.kind === 'string' && text(-3) === '(' && text(-4) === 'URL' && text(-5) === 'new';
  return meta && call ? { specifier: tokens[k - 2]!.text, line: tokens[k - 2]!.line } : undefined;
}

// ---------------------------------------------------------------------------------------------
// The graph of a tree of files

/** The files under the given folders (relative to root, with `/`) whose name passes `accept`, sorted. */
export function listFiles(root: string, folders: readonly string[], accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel))) {
      const child = posix.join(rel, name);
      if (statSync(join(root, child)).isDirectory()) walk(child);
      else if (accept(name)) out.push(child);
    }
  };
  for (const folder of folders) if (existsSync(join(root, folder))) walk(folder);
  return out.sort();
}

/** Every `.ts` file under the given folders; `.d.ts` files included. */
export const listSourceFiles = (root: string, folders: readonly string[]): string[] => listFiles(root, folders, (name) => name.endsWith('.ts'));

/**
 * The project file a relative specifier names (`./x.js` → `x.ts`), or undefined for packages,
 * `node:` modules and files outside the set (JSON, generated files).
 */
export function resolveSpecifier(fromFile: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = posix.normalize(posix.join(posix.dirname(fromFile), specifier));
  const candidates = [base, base.replace(/\.(m?js)$/, (_, ext: string) => (ext === 'mjs' ? '.mts' : '.ts')), `${base}.ts`, `${base}/index.ts`, base.replace(/\.js$/, '.d.ts')];
  return candidates.find((c) => files.has(c));
}

/** Reads the files under `folders` and links their imports. */
export function readImportGraph(root: string, folders: string[]): ImportGraph {
  const files = listSourceFiles(root, folders);
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  for (const from of files) {
    for (const site of parseImports(readFileSync(join(root, from), 'utf8'))) {
      const to = resolveSpecifier(from, site.specifier, known);
      if (to !== undefined) edges.push({ from, to, line: site.line, ...(site.kind ? { kind: site.kind } : {}) });
    }
  }
  return { files, edges };
}

// ---------------------------------------------------------------------------------------------
// Cycles

/** A set of nodes that all reach each other, and the shortest cycle among them. */
export interface Tangle {
  /** `[a, b, c, a]`: a → b → c → a; a self-import is `[a, a]`. */
  chain: string[];
  /** Every node caught, sorted; more than the chain's when several cycles share nodes. */
  members: string[];
}

/**
 * The cycles of a graph, one per tangle (strongly connected set of nodes): its shortest cycle,
 * which is the one to read first, and its members. One bad edge can tangle a dozen folders;
 * listing every cycle through them would bury it.
 */
export function findCycles(nodes: readonly string[], edges: ReadonlyArray<{ from: string; to: string }>): Tangle[] {
  const next = new Map<string, string[]>();
  for (const node of nodes) next.set(node, []);
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, []);
    if (!next.has(e.to)) next.set(e.to, []);
    const list = next.get(e.from)!;
    if (!list.includes(e.to)) list.push(e.to);
  }
  const tangles: Tangle[] = [];
  for (const group of stronglyConnected(next)) {
    if (group.length === 1 && !next.get(group[0]!)!.includes(group[0]!)) continue;
    const members = new Set(group);
    const chains = [...group].sort().map((start) => shortestReturn(start, next, members));
    const chain = chains.reduce((best, c) => (c.length < best.length ? c : best));
    tangles.push({ chain, members: [...group].sort() });
  }
  return tangles.sort((a, b) => a.chain[0]!.localeCompare(b.chain[0]!));
}

/** `a → b → a`, and the other members when the tangle is larger than its shortest cycle. */
export function describeTangle(tangle: Tangle): string {
  const chain = tangle.chain.join(' → ');
  const others = tangle.members.filter((m) => !tangle.chain.includes(m));
  return others.length === 0 ? chain : `${chain} (and through it, ${others.length} more caught in cycles: ${others.join(', ')})`;
}

/** Tarjan's algorithm, iterative so that a deep graph cannot overflow the stack. */
function stronglyConnected(next: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  for (const root of next.keys()) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; child: number }> = [{ node: root, child: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const children = next.get(frame.node)!;
      if (frame.child < children.length) {
        const child = children[frame.child++];
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ node: child, child: 0 });
        } else if (onStack.has(child)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.node);
        groups.push(group);
      }
    }
  }
  return groups;
}

/** The shortest path from `start` back to itself inside one group (breadth first). */
function shortestReturn(start: string, next: Map<string, string[]>, members: Set<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q];
    for (const child of next.get(node)!) {
      if (!members.has(child)) continue;
      if (child === start) {
        const chain = [start];
        for (let at = node; at !== start; at = cameFrom.get(at)!) chain.unshift(at);
        chain.unshift(start);
        return chain;
      }
      if (!cameFrom.has(child)) {
        cameFrom.set(child, node);
        queue.push(child);
      }
    }
  }
  return [start, start];
}

// ---------------------------------------------------------------------------------------------
// Messages

/** `a → b → a  (imports at a:3, b:7)`: a cycle of files with the line of each import in it. */
export function describeFileCycle(tangle: Tangle, edges: readonly ImportEdge[]): string {
  const { chain } = tangle;
  const at = chain.slice(0, -1).map((from, i) => {
    const edge = edges.find((e) => e.from === from && e.to === chain[i + 1]);
    return edge ? `${from}:${edge.line}${edge.kind === 'process' ? ' (starts it as a process)' : ''}` : from;
  });
  return `${describeTangle(tangle)}  (imports at ${at.join(', ')})`;
}
