import assert from 'node:assert/strict';
import { FRAGMENT_LENGTH, Redactor, urlSecrets } from '../../src/report/redact.js';
import { SharedRuns } from '../../src/report/shared-runs.js';
import { transactionGenerator } from '../../src/run/seeded.js';

describe('Redactor', function () {
  it('replaces a secret inside strings, in its JSON-escaped forms, and as a whole value', () => {
    const r = new Redactor(['s3"cr\\et', '4242', undefined, '']);
    const message = { apisecret: 's3"cr\\et', note: 'a s3"cr\\et inside', id: 4242, other: 42, list: ['4242x'] };
    assert.deepEqual(r.value(message), { apisecret: '[redacted]', note: 'a [redacted] inside', id: '[redacted]', other: 42, list: ['[redacted]x'] });
    assert.equal(r.text(JSON.stringify(message)).includes('s3'), false);
    assert.equal(r.text(JSON.stringify(JSON.stringify(message))).includes('s3'), false);
  });

  it('replaces the longest secret first, and learns new ones as the run goes', () => {
    const r = new Redactor(['abc']);
    r.add(['abcdef']);
    assert.equal(r.text('xabcdefx abc'), 'x[redacted]x [redacted]');
    assert.equal(new Redactor().text('nothing secret'), 'nothing secret');
  });
});

describe('Redactor, encodings and cuts', function () {
  const secret = 'Zq7Nx4Kp 9Wm2/Tr8+Vb3';
  const r = new Redactor([secret]);

  it('finds a secret URL-encoded, HTML-escaped and base64-encoded at every alignment', () => {
    assert.equal(r.text(`q=${encodeURIComponent(secret)}&f=${encodeURIComponent(secret).replace(/%20/g, '+')}`), 'q=[redacted]&f=[redacted]');
    for (const before of ['', 'a', 'ab', 'abc']) {
      const encoded = Buffer.from(`${before}${secret}tail`).toString('base64');
      assert.ok(!r.text(encoded).includes(Buffer.from(secret).toString('base64').slice(2, 12)), `alignment ${before.length}`);
      assert.match(r.text(encoded), /\[redacted\]/);
    }
  });

  it('redacts a piece of a secret next to a cut mark, at every cut position', () => {
    for (let n = 1; n < secret.length; n++) {
      const cut = `{"note":"${secret}"}`.slice(0, 9 + n) + '...';
      assert.equal(r.text(cut), '{"note":"[redacted]...', `cut after ${n} characters`);
      assert.equal(r.text(`..."${secret.slice(n)}`), '..."[redacted]');
    }
  });

  it('searches for a URL\'s password, and for its user name only when it stands alone (a token as the user name)', () => {
    assert.deepEqual(urlSecrets('http://u:pw%21@h:1/janus?apisecret=s3&maxev=1'), ['pw!', 's3']);
    assert.deepEqual(urlSecrets('https://Zq7Nx4Kp9Wm2@h/janus'), ['Zq7Nx4Kp9Wm2']);
    const r = new Redactor(urlSecrets('http://u:Tr8Vb3Kq@127.0.0.1:9/janus'));
    assert.equal(r.text('cannot reach Janus at http://u:Tr8Vb3Kq@127.0.0.1:9/janus: 1 unfinished, run Tr8Vb3Kq'), 'cannot reach Janus at http://[redacted]@127.0.0.1:9/janus: 1 unfinished, run [redacted]');
  });

  it('redacts credentials in URLs whatever their value', () => {
    assert.equal(new Redactor().text('at http://bob:pw@h:1/janus?maxev=1&apisecret=s3&token=t and ws://u@h/'), 'at http://[redacted]@h:1/janus?maxev=1&apisecret=[redacted]&token=[redacted] and ws://[redacted]@h/');
  });
});

/**
 * Pieces of a secret with no cut mark beside them: a prefix a scenario sends, a token a server
 * cut short in an error text, a middle part. A run of FRAGMENT_LENGTH (8) characters or more
 * that also occurs in a secret is replaced whole; a shorter one is shown.
 */
describe('Redactor, pieces of a secret anywhere', function () {
  const secret = 'Zq7xKp9mWv3T';
  const r = new Redactor([secret]);

  it('redacts a prefix, a suffix and a middle part, each whole run of them', () => {
    assert.equal(r.text('{ janus: keepalive, note: "prefix-Zq7xKp9m" }'), '{ janus: keepalive, note: "prefix-[redacted]" }');
    assert.equal(r.text('error: bad token xKp9mWv3T, try again'), 'error: bad token [redacted], try again');
    assert.equal(r.text('got <7xKp9mWv3> back'), 'got <[redacted]> back');
    // Runs from the secret side by side are one run: the prefix after the whole secret, the start after the end.
    assert.equal(r.text(`a${secret}Zq7xKp9mWv3 b Kp9mWv3TZq7xKp9m c`), 'a[redacted] b [redacted] c');
  });

  it('redacts a piece in its JSON-escaped and URL-encoded forms', () => {
    const odd = new Redactor(['Lc5"Gs1\\Qf7 Xe3/Ru9']);
    const piece = 'c5"Gs1\\Qf7';
    assert.equal(odd.text(JSON.stringify({ error: `bad ${piece}!` })), '{"error":"bad [redacted]!"}');
    assert.equal(odd.text(JSON.stringify(JSON.stringify({ error: `bad ${piece}!` }))), '"{\\"error\\":\\"bad [redacted]!\\"}"');
    assert.equal(odd.text(`/x?note=${encodeURIComponent('Qf7 Xe3/Ru')}&b=1`), '/x?note=[redacted]&b=1');
    assert.equal(odd.text(`/x?note=${encodeURIComponent('Qf7 Xe3/Ru').replace(/%20/g, '+')}&b=1`), '/x?note=[redacted]&b=1');
  });

  it('redacts a piece inside an object key and a string value; a number stays a number unless it is a secret', () => {
    const withId = new Redactor([secret, '9876543210']);
    const message = { 'prefix-Zq7xKp9m': { list: ['x Kp9mWv3T'], 'Kp9mWv3T-key': 1 }, id: 98765432, text: '98765432' };
    assert.deepEqual(withId.value(message), { 'prefix-[redacted]': { list: ['x [redacted]'], '[redacted]-key': 1 }, id: 98765432, text: '[redacted]' });
  });

  it('masks a piece with as many stars, so columns stay where they were', () => {
    const line = '  note: "prefix-Zq7xKp9m" # xKp9mWv3T-x';
    const masked = r.masked(line);
    assert.equal(masked, '  note: "prefix-********" # *********-x');
    assert.equal(masked.length, line.length);
  });

  it(`shows a piece shorter than ${FRAGMENT_LENGTH} characters, redacts one of ${FRAGMENT_LENGTH}`, () => {
    assert.equal(FRAGMENT_LENGTH, 8);
    assert.equal(r.text('Zq7xKp9 and Kp9mWv3 and xKp9mWv'), 'Zq7xKp9 and Kp9mWv3 and xKp9mWv');
    assert.equal(r.text('Zq7xKp9m and Kp9mWv3T and xKp9mWv3'), '[redacted] and [redacted] and [redacted]');
  });

  it('searches a secret shorter than the threshold whole only, also beside a piece of a long one', () => {
    const both = new Redactor(['abc1234', secret]);
    assert.equal(both.text('abc123 bc1234 abc1234'), 'abc123 bc1234 [redacted]');
    // The short secret and a piece of the long one side by side go as one: no rest of either is left.
    assert.equal(both.text('abc1234Zq7xKp9mW!'), '[redacted]!');
  });

  it("leaves ordinary report text alone with Janus' default secrets, yet redacts their pieces", () => {
    const defaults = new Redactor(['janusrocks', 'janusoverlord', '5f0c9e3a1b7d2c4e8f6a0b1c']);
    const report = [
      '{"janus":"success","session_id":4242,"transaction":"tx-1","data":{"id":77},"plugindata":{"plugin":"janus.plugin.videoroom"}}',
      '  ✔ janus-scenarios: attach to janus.plugin.echotest over ws (12 ms), janus rocks, 12 rooms',
      '<testcase name="keepalive [ws]" classname="janus.session"><failure>janus: expected "ack", got "success"</failure></testcase>',
    ].join('\n');
    assert.equal(defaults.text(report), report);
    assert.equal(defaults.text('janusrock anusover 5f0c9e3a'), '[redacted] [redacted] [redacted]');
    // The price of words in a secret (README): a word of 8 letters from it goes too.
    assert.equal(defaults.text('an overlord'), 'an [redacted]');
  });

  it('gives back a megabyte with no secret in it unchanged, and replaces only the piece put in its middle', () => {
    const lines: string[] = [];
    for (let i = 0, size = 0; size < 1_000_000; i++) {
      const line = `{"janus":"event","session_id":${1_000_000_007 * i},"transaction":"t${i.toString(36)}","note":"Zq7xKp9 Kp9mWv3 janus"}`;
      lines.push(line);
      size += line.length + 1;
    }
    const big = lines.join('\n');
    assert.equal(r.text(big), big);
    assert.equal(r.masked(big), big);
    const middle = big.length >> 1;
    assert.equal(r.text(`${big.slice(0, middle)}q7xKp9mWv${big.slice(middle)}`), `${big.slice(0, middle)}[redacted]${big.slice(middle)}`);
  });
});

describe('SharedRuns', function () {
  /** Every position of the text inside some window it shares with a source, found the slow way. */
  function covered(text: string, sources: string[], width: number): boolean[] {
    const marks = Array.from({ length: text.length }, () => false);
    for (let at = 0; at + width <= text.length; at++) {
      if (sources.some((s) => s.includes(text.slice(at, at + width)))) for (let i = at; i < at + width; i++) marks[i] = true;
    }
    return marks;
  }

  it('marks exactly the characters of runs shared with a source, in separate spans', () => {
    // Seeded draws (the transaction ids' generator): the same texts on every machine.
    const ids = transactionGenerator('shared-runs', 'test');
    const random = (): number => parseInt(ids().slice(0, 6), 36) / 36 ** 6;
    const word = (n: number): string => Array.from({ length: n }, () => 'abc'[Math.floor(random() * 3)]).join('');
    for (let round = 0; round < 300; round++) {
      const sources = [word(4 + Math.floor(random() * 12)), word(4 + Math.floor(random() * 12))];
      const width = 2 + Math.floor(random() * 4);
      const text = word(Math.floor(random() * 40));
      const spans = new SharedRuns(sources, width).spans(text);
      const marks = Array.from({ length: text.length }, () => false);
      for (const { start, end } of spans) for (let i = start; i < end; i++) marks[i] = true;
      assert.deepEqual(marks, covered(text, sources, width), JSON.stringify({ sources, width, text, spans }));
      for (let i = 1; i < spans.length; i++) assert.ok(spans[i]!.start > spans[i - 1]!.end, JSON.stringify(spans));
    }
  });
});
