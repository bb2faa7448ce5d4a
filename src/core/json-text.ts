/** Where a JSON text goes wrong, from 1, and what is wrong there, in words. */
export interface JsonProblem {
  line: number;
  col: number;
  problem: string;
}

/**
 * Parses a JSON text a person wrote (a config file, a baseline). On a mistake it says where
 * (line and column, as scenario load errors do) and what: V8's own message gives an offset at
 * best (Node 20 gives none for a stray `]`), and quotes the text around it.
 */
export function parseJsonText(text: string): { value: unknown } | JsonProblem {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return findJsonProblem(text) ?? { line: 1, col: 1, problem: 'not valid JSON' };
  }
}

/** Scans the text as JSON's grammar reads it, to the first character that breaks it. */
export function findJsonProblem(text: string): JsonProblem | undefined {
  let at = 0;
  const fail = (problem: string): never => {
    throw new JsonMistake(at, problem);
  };
  const space = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  // A word as a whole (`tru`, `undefined`), else the one character.
  const shown = (): string => {
    if (at >= text.length) return 'the end of the file';
    if (text[at] === '"') return 'a string';
    return JSON.stringify((/^[\w.+-]{1,20}/.exec(text.slice(at, at + 20)) ?? [text[at]])[0]);
  };
  const expect = (what: string): never => fail(`expected ${what}, found ${shown()}`);
  const value = (depth: number): void => {
    if (depth > 512) fail('nests too deeply');
    space();
    const c = text[at];
    if (c === '{') return object(depth);
    if (c === '[') return array(depth);
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return;
      }
    }
    expect('a value (a string in double quotes, a number, true, false, null, { or [)');
  };
  const object = (depth: number): void => {
    at++;
    space();
    if (text[at] === '}') return void at++;
    for (;;) {
      space();
      if (text[at] !== '"') expect(text[at] === '}' ? 'another property after the comma (JSON allows no trailing comma)' : 'a property name in double quotes');
      string();
      space();
      if (text[at] !== ':') expect('":" after the property name');
      at++;
      value(depth + 1);
      space();
      if (text[at] === ',') at++;
      else if (text[at] === '}') return void at++;
      else expect('"," or "}" after the property value');
    }
  };
  const array = (depth: number): void => {
    at++;
    space();
    if (text[at] === ']') return void at++;
    for (;;) {
      space();
      if (text[at] === ']') expect('another value after the comma (JSON allows no trailing comma)');
      value(depth + 1);
      space();
      if (text[at] === ',') at++;
      else if (text[at] === ']') return void at++;
      else expect('"," or "]" after the value');
    }
  };
  const string = (): void => {
    const opened = at++;
    for (;;) {
      if (at >= text.length) {
        at = opened;
        fail('a string that is never closed (no " after it)');
      }
      const c = text.charCodeAt(at);
      if (c === 0x22) return void at++;
      if (c === 0x0a) fail('a line break inside a string: close the string on its line, or write the break as \\n');
      if (c === 0x09) fail('a tab inside a string: write it as \\t');
      if (c < 0x20) fail(`control character U+${c.toString(16).toUpperCase().padStart(4, '0')} inside a string: write it as \\u${c.toString(16).padStart(4, '0')}`);
      if (c === 0x5c) {
        const e = text[at + 1];
        if (e === 'u' && !/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) fail('\\u needs four hexadecimal digits after it');
        if (e === undefined || !'"\\/bfnrtu'.includes(e)) fail(`an unknown escape \\${e ?? ''} in a string (a backslash itself is written \\\\)`);
        at += e === 'u' ? 5 : 1;
      }
      at++;
    }
  };
  const number = (): void => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(at, at + 400));
    if (!m || m[0] === '-') fail('a malformed number');
    at += m![0].length;
  };
  try {
    value(0);
    space();
    if (at < text.length) fail(`more text after the JSON value, from ${shown()}`);
    return undefined;
  } catch (e) {
    if (!(e instanceof JsonMistake)) throw e;
    return { ...lineAndColumn(text, e.offset), problem: e.message };
  }
}

class JsonMistake extends Error {
  constructor(
    readonly offset: number,
    problem: string,
  ) {
    super(problem);
  }
}

/** Counted, not split: a baseline can be hundreds of megabytes. A line ends at LF (CRLF too). */
function lineAndColumn(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}
