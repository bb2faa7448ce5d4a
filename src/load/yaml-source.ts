import { LineCounter, parseDocument, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../core/diagnostic.js';
import type { SourceSpan } from '../core/source.js';

/** A path into a parsed document, as keys and indexes (the shape ajv's instancePath splits into). */
export type DocPath = ReadonlyArray<string | number>;

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
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const diagnostics = doc.errors.map((e) => {
      const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
      const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      return { span: { file, line: pos.line, col: pos.col, width: 1 }, message: `invalid YAML: ${message}` };
    });
    if (diagnostics.length > 0) return { diagnostics };
    return { source: new YamlSource(file, path, text, doc, lines, doc.toJS({ maxAliasCount: 100 })), diagnostics: [] };
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
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
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
