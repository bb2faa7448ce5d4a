/**
 * Hints for the YAML parser's indentation errors inside a list (the steps), whose own words
 * ("Sequence item without - indicator", "Nested mappings are not allowed in compact mappings")
 * name no indentation: which column the line belongs at, and why. `offset` is where the parser
 * saw the error; the hint's offset is where the misplaced line starts.
 */
export interface IndentationHint {
  offset: number;
  hint: string;
}

/** A list item's line: its "- " and its first key. */
const ITEM = /^( *)- +[^\s#]/;

export function indentationHint(message: string, text: string, offset: number): IndentationHint | undefined {
  const lines = text.split('\n');
  const line = lineOf(text, offset);
  if (message.startsWith('Sequence item without - indicator') || message.startsWith('All mapping items must start at the same column')) {
    return keyOutOfLine(lines, line);
  }
  if (message.startsWith('Nested mappings are not allowed in compact mappings')) return keyTooDeep(lines, line);
  if (message.startsWith('All sequence items must start at the same column')) return dashOutOfLine(lines, line);
  return undefined;
}

/** A key left of its item's first key (but not left of its dash): it belongs under that key. */
function keyOutOfLine(lines: string[], line: number): IndentationHint | undefined {
  const item = itemAbove(lines, line);
  const indent = indentOf(lines[line]!);
  if (!item || indent < item.dash || indent >= item.key) return undefined;
  return { offset: offsetOf(lines, line) + indent, hint: `${lineUp(item)}; a new item starts with "- "` };
}

/** The line after a list item's first line, right of its first key: YAML reads it as that key's value going on. */
function keyTooDeep(lines: string[], line: number): IndentationHint | undefined {
  const match = ITEM.exec(lines[line] ?? '');
  const next = lines[line + 1];
  if (!match || next === undefined) return undefined;
  const item = { line, dash: match[1]!.length, key: match[0].length - 1 };
  const indent = indentOf(next);
  if (indent <= item.key) return undefined;
  return { offset: offsetOf(lines, line + 1) + indent, hint: `${lineUp(item)}: this line starts further right, and reads as part of line ${line + 1}'s value` };
}

/** An item's "- " out of line with the item before it. */
function dashOutOfLine(lines: string[], line: number): IndentationHint | undefined {
  const item = itemAbove(lines, line);
  const indent = indentOf(lines[line]!);
  if (!item || item.dash === indent) return undefined;
  return { offset: offsetOf(lines, line) + indent, hint: `the "- " of each item of a list lines up, column ${item.dash + 1} (at line ${item.line + 1})` };
}

function lineUp(item: { line: number; key: number }): string {
  return `the keys of a list item line up under its first key, column ${item.key + 1} (after "- " at line ${item.line + 1})`;
}

/** The nearest list item above `line` (0-based), its dash's and first key's indentation. */
function itemAbove(lines: string[], line: number): { line: number; dash: number; key: number } | undefined {
  for (let i = line - 1; i >= 0; i--) {
    const match = ITEM.exec(lines[i]!);
    if (match) return { line: i, dash: match[1]!.length, key: match[0].length - 1 };
  }
  return undefined;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function offsetOf(lines: string[], line: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) offset += lines[i]!.length + 1;
  return offset;
}
