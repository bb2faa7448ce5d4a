import { LineCounter, parseDocument, isAlias, isCollection, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node, type Pair, type YAMLError, type YAMLMap } from '../vendor/yaml.js';
import { byPosition, type Diagnostic } from '../core/diagnostic.js';
import type { DocPath, SourceSpan } from '../core/source.js';
import { indentationHint } from './yaml-indentation.js';

/**
 * A YAML file parsed with positions kept. The rest of the pipeline works on plain values and
 * asks this object where a value came from, so that every diagnostic names `file:line:col`.
 */
export class YamlSource {
  private constructor(
    /** The name shown to users (relative to the working folder when inside it). */
    readonly file: string,
    /** The absolute path, for resolving includes. */
    readonly path: string,
    readonly text: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
    readonly value: unknown,
  ) {}

  static parse(file: string, path: string, text: string): { source?: YamlSource; diagnostics: Diagnostic[] } {
    const lines = new LineCounter();
    const at = (offset: number, width = 1): SourceSpan => ({ file, ...lines.linePos(Math.min(offset, text.length)), width });
    let doc: Document;
    try {
      // uniqueKeys: false because the parser compares each key with every earlier one of its map (a
      // 256 KB map of 30,000 keys took seconds); checkStructure finds duplicates with a Set instead.
      doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, version: '1.2' });
    } catch (e) {
      return { diagnostics: [{ span: { file, line: 1, col: 1, width: 1 }, message: `invalid YAML: ${oneLine((e as Error).message)}` }] };
    }
    // Warnings (an unknown %YAML version, an unresolved tag) are refusals too: the value read is not the one written.
    const problems = [...doc.errors, ...doc.warnings].sort((a, b) => a.pos[0] - b.pos[0]);
    if (doc.errors.length > 0) {
      const first = yamlDiagnostic(problems[0]!, text, at);
      // After the first syntax error the parser is out of step; what follows is mostly its echo.
      const more = problems.length - 1;
      if (more > 0) first.hint = [first.hint, `${more} more YAML error${more === 1 ? '' : 's'} after this one, often caused by it; fix this one first`].filter(Boolean).join('; ');
      return { diagnostics: [first] };
    }
    // Without a syntax error the parser stayed in step: each warning is a problem of its own, and
    // so is each structural one (an unresolved tag is both: said once, in the parser's words).
    const warned = problems.map((p) => yamlDiagnostic(p, text, at));
    const where = (d: Diagnostic): string => `${d.span.line}:${d.span.col}`;
    const structural = checkStructure(doc, at, text).filter((d) => !warned.some((w) => where(w) === where(d)));
    if (warned.length + structural.length > 0) {
      return { diagnostics: [...warned, ...structural].sort(byPosition) };
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const alias = firstAlias(doc);
      const message = /alias count/i.test((e as Error).message)
        ? `aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} per alias); write the values out instead`
        : oneLine((e as Error).message);
      return { diagnostics: [{ span: alias?.range ? at(alias.range[0], alias.range[1] - alias.range[0]) : { file, line: 1, col: 1, width: 1 }, message: `invalid YAML: ${message}` }] };
    }
    return { source: new YamlSource(file, path, text, doc, lines, value), diagnostics: [] };
  }

  /** The same file and positions with a transformed value (fragments after parameter substitution). */
  withValue(value: unknown): YamlSource {
    return new YamlSource(this.file, this.path, this.text, this.doc, this.lines, value);
  }

  /** Where the value at `path` is; with `key`, where the key naming it is. Falls back to the nearest parent. */
  spanOf(path: DocPath, options: { key?: boolean } = {}): SourceSpan {
    let node: Node | null | undefined = this.doc.contents as Node | null;
    let keyNode: Node | undefined;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = pairsByKey(node).get(String(segment));
        if (!pair) break;
        keyNode = pair.key as Node;
        node = pair.value as Node | null;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
        keyNode = undefined;
        node = node.items[segment] as Node;
      } else break;
    }
    const target = options.key && keyNode ? keyNode : (node ?? keyNode);
    return this.spanOfNode(target);
  }

  /**
   * The span of a placeholder inside a single-line string scalar at `path`. The parsed string can
   * differ from the source (escapes, substituted fragment parameters), so the placeholder's text
   * is looked up in the source first, and the offset in the value is the fallback.
   */
  spanInString(path: DocPath, needle: string, offset: number): SourceSpan {
    const span = this.spanOf(path);
    const node = this.doc.getIn(path as unknown[], true) as Node | undefined;
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return span;
    const raw = this.text.slice(node.range[0], node.range[1]);
    const at = raw.indexOf(needle);
    if (at >= 0 && !raw.slice(0, at).includes('\n')) return { ...span, col: span.col + at, width: needle.length };
    if (node.value.includes('\n')) return span;
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
    return { ...span, col: span.col + quoted + offset, width: needle.length };
  }

  private spanOfNode(node: Node | undefined): SourceSpan {
    if (!node?.range) return { file: this.file, line: 1, col: 1, width: 1 };
    const [start, valueEnd] = node.range;
    const pos = this.lines.linePos(start);
    const lineEnd = this.text.indexOf('\n', start);
    const end = Math.min(valueEnd, lineEnd === -1 ? valueEnd : lineEnd);
    return { file: this.file, line: pos.line, col: pos.col, width: Math.max(1, end - start) };
  }
}

/**
 * A mapping's pairs by key text, made once per mapping: spanOf is asked for every variable and
 * every problem, and a linear search each time made a map of thousands of keys take seconds.
 * The first pair of a text wins, as a search in order would find it.
 */
const keyIndexes = new WeakMap<object, Map<string, Pair>>();

function pairsByKey(map: YAMLMap): Map<string, Pair> {
  let index = keyIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      if (!isPair(p) || !isScalar(p.key)) continue;
      const text = String(p.key.value);
      if (!index.has(text)) index.set(text, p as Pair);
    }
    keyIndexes.set(map, index);
  }
  return index;
}

/** Deeper than any scenario needs, shallow enough for every recursive stage after parsing. */
export const MAX_DEPTH = 64;
const MAX_ALIAS_COUNT = 100;
/** Tags of the YAML 1.2 core schema; others (!foo, !!binary, !!set, !!timestamp) make values JSON has not. */
const CORE_TAGS = new Set(['tag:yaml.org,2002:str', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:bool', 'tag:yaml.org,2002:null', 'tag:yaml.org,2002:map', 'tag:yaml.org,2002:seq']);

function oneLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** A parser error or warning as a diagnostic, with the message and position a reader needs. */
function yamlDiagnostic(e: YAMLError, text: string, at: (offset: number, width?: number) => SourceSpan): Diagnostic {
  const message = oneLine(e.message);
  switch (e.code) {
    case 'RESOURCE_EXHAUSTION':
      return { span: at(e.pos[0]), message: `the file nests too deeply to read (more than ${MAX_DEPTH} levels are not allowed)` };
    case 'MISSING_CHAR': {
      const quote = /closing (["'])quote/.exec(message)?.[1];
      const opening = quote ? openingQuote(text, e.pos[0], quote) : -1;
      if (opening >= 0) return { span: at(opening), message: `invalid YAML: this ${quote === '"' ? 'double' : 'single'}-quoted string is never closed`, hint: `add the closing ${quote} on this line` };
      break;
    }
    case 'BAD_INDENT':
    case 'UNEXPECTED_TOKEN': {
      const closer = /end with an? ([}\]])/.exec(message)?.[1];
      const opening = closer ? openingBracket(text, e.pos[0], closer) : -1;
      if (opening >= 0) return { span: at(opening), message: `invalid YAML: this ${closer === '}' ? '{' : '['} is never closed`, hint: `close it with ${closer}` };
      break;
    }
    case 'MULTIPLE_DOCS':
      // The library's own words advise a function of its API, which is no help to an author.
      return { span: at(e.pos[0]), message: 'invalid YAML: multiple documents in one file; a second one starts here, after ---', hint: 'a scenario file holds one scenario: put this one in a file of its own' };
    case 'TAB_AS_INDENT':
      return { span: at(e.pos[0]), message: 'invalid YAML: a tab in the indentation; YAML indents with spaces only', hint: 'replace the tabs at the start of this line with spaces (and set the editor to indent .yaml files with spaces)' };
    case 'BAD_DIRECTIVE':
      return { span: at(e.pos[0], e.pos[1] - e.pos[0]), message: `invalid YAML: ${message}; janus-scenarios reads YAML 1.2 (or 1.1)` };
    case 'TAG_RESOLVE_FAILED':
      return { span: at(e.pos[0], e.pos[1] - e.pos[0]), message: `invalid YAML: ${message}; scenario files use no tags but the core ones (!!str, !!int, ...)` };
  }
  const indentation = indentationHint(message, text, e.pos[0]);
  if (indentation) return { span: at(indentation.offset), message: `invalid YAML: ${message}`, hint: indentation.hint };
  return { span: at(e.pos[0]), message: `invalid YAML: ${message}` };
}

/**
 * Where an unclosed quoted scalar starts: the last quote before `end` that is not escaped.
 * Inside an unclosed string no unescaped quote can occur, so that one opens it.
 */
function openingQuote(text: string, end: number, quote: string): number {
  for (let i = Math.min(end, text.length) - 1; i >= 0; i--) {
    if (text[i] !== quote) continue;
    if (quote === '"') {
      let slashes = 0;
      while (text[i - 1 - slashes] === '\\') slashes++;
      if (slashes % 2 === 0) return i;
    } else if (text[i - 1] === "'") i--;
    else return i;
  }
  return -1;
}

/** The unmatched `{` or `[` before `end` (quoted text is not looked into closely: a good guess, not a parse). */
function openingBracket(text: string, end: number, closer: string): number {
  const opener = closer === '}' ? '{' : '[';
  let depth = 0;
  for (let i = Math.min(end, text.length) - 1; i >= 0; i--) {
    if (text[i] === closer) depth++;
    else if (text[i] === opener) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/**
 * What the parser accepts but a scenario cannot use, found on the document tree without
 * recursion: nesting deeper than MAX_DEPTH, keys that are not plain values, tags beyond the
 * core schema, numbers JSON cannot carry exactly, aliases to undefined anchors or to a
 * collection that contains them (a cycle). Each is a problem of its own, so all of them are
 * reported, in the order of the file: a file with three duplicate keys needs three fixes, not
 * three runs. Below a collection nested too deeply nothing more is said (each level would
 * repeat it).
 */
function checkStructure(doc: Document, at: (offset: number, width?: number) => SourceSpan, text: string): Diagnostic[] {
  const spanOf = (node: Node): SourceSpan => (node.range ? at(node.range[0], Math.max(1, node.range[1] - node.range[0])) : at(0));
  const found: Array<{ offset: number; diagnostic: Diagnostic }> = [];
  const report = (node: Node, diagnostic: Diagnostic): void => void found.push({ offset: node.range?.[0] ?? 0, diagnostic });
  const anchors = new Map<string, Node>();
  const stack: Array<{ node: unknown; depth: number; ancestors: Node[] }> = [{ node: doc.contents, depth: 1, ancestors: [] }];
  while (stack.length > 0) {
    const { node, depth, ancestors } = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    const n = node as Node;
    if (n.tag && !isAlias(n) && !CORE_TAGS.has(n.tag)) report(n, { span: tagSpan(n, text, at), message: `invalid YAML: the tag ${n.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed; scenario files use plain values` });
    if (isAlias(n)) {
      const source = anchors.get(n.source);
      if (!source) report(n, { span: spanOf(n), message: `invalid YAML: the alias *${n.source} refers to no anchor &${n.source} defined before it` });
      else if (ancestors.includes(source)) report(n, { span: spanOf(n), message: `invalid YAML: the alias *${n.source} is inside the value it refers to (a cycle)` });
      continue;
    }
    if ((n as { anchor?: string }).anchor) anchors.set((n as { anchor: string }).anchor, n);
    if (isScalar(n)) {
      const number = numberProblem(n);
      if (number) report(n, { span: spanOf(n), message: number });
      continue;
    }
    if (!isCollection(n)) continue;
    if (depth > MAX_DEPTH) {
      report(n, { span: spanOf(n), message: `the file nests more than ${MAX_DEPTH} levels deep; no scenario needs that` });
      continue;
    }
    for (const clash of isMap(n) ? keyClashes(n) : []) {
      report(clash.key, {
        span: spanOf(clash.key),
        message: clash.same ? 'invalid YAML: Map keys must be unique' : `invalid YAML: the key ${writtenKey(clash.key, text)} is the same key as an earlier one once read (keys are text: 1 and "1", true and "true" collide)`,
      });
    }
    const inner = [...ancestors, n];
    // Pushed in reverse so that the anchors of the file are met in the order they are written.
    for (const item of [...n.items].reverse()) {
      if (isPair(item)) {
        stack.push({ node: item.value, depth: depth + 1, ancestors: inner });
        stack.push({ node: item.key, depth: depth + 1, ancestors: inner });
      } else stack.push({ node: item, depth: depth + 1, ancestors: inner });
    }
  }
  for (const node of collectionKeys(doc)) report(node, { span: spanOf(node), message: 'a key must be a plain value (a name or a number), not a list, a mapping or an alias' });
  // Stable: problems at one place (a tag and its value) keep the order they were found in.
  return found.sort((a, b) => a.offset - b.offset).map((f) => f.diagnostic);
}

/** Why a number cannot go into a scenario as written: JSON has no infinity, and integers past 2^53 change when read. */
function numberProblem(n: Node & { value?: unknown; source?: string }): string | undefined {
  if (typeof n.value !== 'number') return undefined;
  if (!Number.isFinite(n.value)) return `${n.source ?? n.value} is not a finite number; JSON has no such value`;
  if (Number.isInteger(n.value) && !Number.isSafeInteger(n.value)) return `the integer ${textOf(n)} is too large to be read exactly (above 2^53); quote it to send it as a string`;
  return undefined;
}

/** The tag as written before a value (`!!binary`), found back from where the value starts. */
function tagSpan(node: Node, text: string, at: (offset: number, width?: number) => SourceSpan): SourceSpan {
  const start = node.range?.[0] ?? 0;
  let bang = text.lastIndexOf('!', start);
  while (bang > 0 && text[bang - 1] === '!') bang--;
  if (bang < 0 || text.slice(bang, start).includes('\n')) return at(start);
  return at(bang, Math.max(1, text.slice(bang, start).trimEnd().length));
}

/**
 * Each key of a mapping whose text equals an earlier key's, and whether both are the same value
 * (a plain duplicate) or only the same once read as text (1 and "1").
 */
function keyClashes(map: { items: unknown[] }): Array<{ key: Node; same: boolean }> {
  const seen = new Map<string, unknown>();
  const clashes: Array<{ key: Node; same: boolean }> = [];
  for (const item of map.items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    const value = item.key.value;
    const text = String(value ?? '');
    if (seen.has(text)) clashes.push({ key: item.key as Node, same: Object.is(seen.get(text), value) });
    else seen.set(text, value);
  }
  return clashes;
}

/** A key as the file writes it, quotes included: `""` and `~` say what they are, where their text would be empty. */
function writtenKey(node: Node, text: string): string {
  return node.range ? text.slice(node.range[0], node.range[1]).split('\n')[0]! : textOf(node);
}

function textOf(node: Node & { source?: string }): string {
  return (node as { source?: string }).source ?? String((node as { value?: unknown }).value);
}

/** Keys that are collections or aliases: JavaScript objects cannot have them. */
function collectionKeys(doc: Document): Node[] {
  const out: Node[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!isCollection(n)) continue;
    for (const item of n.items) {
      if (isPair(item)) {
        if (item.key !== null && typeof item.key === 'object' && !isScalar(item.key)) out.push(item.key as Node);
        stack.push(item.value);
      } else stack.push(item);
    }
  }
  return out.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0));
}

function firstAlias(doc: Document): Alias | undefined {
  const stack: unknown[] = [doc.contents];
  let first: Alias | undefined;
  while (stack.length > 0) {
    const n = stack.pop();
    if (isAlias(n)) {
      if (!first || (n.range?.[0] ?? 0) < (first.range?.[0] ?? 0)) first = n;
    } else if (isCollection(n)) for (const item of n.items) stack.push(isPair(item) ? item.value : item);
  }
  return first;
}
