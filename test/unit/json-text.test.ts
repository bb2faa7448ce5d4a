import assert from 'node:assert/strict';
import { findJsonProblem, parseJsonText } from '../../src/core/json-text.js';

/** What a hand-written JSON file gets wrong is said with its line and column, for every kind of mistake. */
describe('JSON text: where it goes wrong', function () {
  const problem = (text: string): string => {
    const r = parseJsonText(text);
    assert.ok(!('value' in r), `${JSON.stringify(text)} parsed`);
    return `${r.line}:${r.col} ${r.problem}`;
  };

  it('parses what JSON.parse parses', function () {
    for (const text of ['{}', '[]', '0', '-1.5e+3', '"a\\u00e9\\n"', 'true', ' null ', '{"a":[1,{"b":false}],"c":"\\\\"}']) {
      assert.deepEqual(parseJsonText(text), { value: JSON.parse(text) });
      assert.equal(findJsonProblem(text), undefined, text);
    }
  });

  it('names the place and the mistake', function () {
    assert.equal(problem('{\n  "a": 1,\n}'), '3:1 expected another property after the comma (JSON allows no trailing comma), found "}"');
    assert.equal(problem('[1, 2,]'), '1:7 expected another value after the comma (JSON allows no trailing comma), found "]"');
    assert.equal(problem('{\n  "a": 1\n  "b": 2\n}'), '3:3 expected "," or "}" after the property value, found a string');
    assert.equal(problem("{'a': 1}"), '1:2 expected a property name in double quotes, found "\'"');
    assert.equal(problem('{"a" 1}'), '1:6 expected ":" after the property name, found "1"');
    assert.equal(problem('{"a": tru}'), '1:7 expected a value (a string in double quotes, a number, true, false, null, { or [), found "tru"');
    assert.equal(problem('{"a": "x'), '1:7 a string that is never closed (no " after it)');
    assert.equal(problem('{"a": "x\ny"}'), '1:9 a line break inside a string: close the string on its line, or write the break as \\n');
    assert.equal(problem('{"a": "x\ty"}'), '1:9 a tab inside a string: write it as \\t');
    assert.equal(problem('{"a": "x\u0001"}'), '1:9 control character U+0001 inside a string: write it as \\u0001');
    assert.equal(problem('["\\u12"]'), '1:3 \\u needs four hexadecimal digits after it');
    assert.equal(problem('["\\q"]'), '1:3 an unknown escape \\q in a string (a backslash itself is written \\\\)');
    assert.equal(problem('{"a": 01}'), '1:8 expected "," or "}" after the property value, found "1"');
    assert.equal(problem('{"a": 1} x'), '1:10 more text after the JSON value, from "x"');
    assert.equal(problem('{"a": 1'), '1:8 expected "," or "}" after the property value, found the end of the file');
    assert.equal(problem(''), '1:1 expected a value (a string in double quotes, a number, true, false, null, { or [), found the end of the file');
  });
});
