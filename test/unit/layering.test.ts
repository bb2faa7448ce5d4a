import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeTangle, findCycles, parseImports, readImportGraph, type ImportGraph } from '../support/import-graph.js';
import { checkLayering, layerOf, listDepsFiles, listLayers, parseDepsList, pathExists, readLayerRules, type Allowance, type LayerLayout, type LayeringReport } from '../support/layering.js';

/**
 * The import rules of src/, reporters/ and bench/: no cycle between files or folders (type-only
 * imports included), and no folder importing what its DEPS.list does not name. See src/DEPS.list.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LAYOUT: LayerLayout = { split: ['src'], whole: ['reporters', 'bench'] };

/**
 * Edges still pending while the reporters move to src/reporters and src/mocha, and the CLI
 * stops running mocha itself (the published reporters/ become thin wrappers of src/mocha).
 * Only src/cli, src/mocha and the top-level reporters/ may appear here. Delete each entry once
 * its imports are gone: the test fails on an entry no import needs any more.
 */
const PENDING: Allowance[] = [];

const report = (r: LayeringReport): string =>
  [
    ...r.fileCycles.map((c) => `file cycle: ${c}`),
    ...r.folderCycles.map((c) => `folder cycle: ${c}`),
    ...r.forbidden.map((f) => `forbidden import: ${f}`),
    ...r.rules.map((p) => `rules: ${p}`),
    ...r.stalePending.map((p) => `stale allowance: ${p}`),
  ].join('\n');

function checkTree(): { result: LayeringReport; graph: ImportGraph } {
  const graph = readImportGraph(ROOT, [...LAYOUT.split, ...LAYOUT.whole]);
  const layers = listLayers(ROOT, LAYOUT);
  const result = checkLayering({
    graph,
    layout: LAYOUT,
    layers,
    rules: readLayerRules(ROOT, layers),
    listFiles: listDepsFiles(ROOT, LAYOUT),
    exists: (path) => pathExists(ROOT, path),
    pending: PENDING,
  });
  return { result, graph };
}

describe('layering', function () {
  it('src/, reporters/ and bench/ have no import cycle and no import their DEPS.list forbids', function () {
    const { result, graph } = checkTree();
    assert.ok(graph.files.length > 100 && graph.edges.length > 300, `the tree was read (${graph.files.length} files, ${graph.edges.length} imports)`);
    assert.equal(report(result), '');
  });

  it("src/DEPS.list's summary of the layers names every folder of src/ once, each on a line below all its list lets it import", function () {
    const top = readFileSync(join(ROOT, 'src/DEPS.list'), 'utf8');
    // The summary: the comment lines after "from the bottom up", `#   core, vendor`, up to `cli`.
    const lines = top.slice(top.indexOf('from the bottom up')).split('\n').filter((l) => /^# {3}\S/.test(l));
    const level = new Map(lines.flatMap((l, i) => l.slice(4).replace(/ \(.*\)$/, '').split(', ').map((name) => [name, i] as const)));
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    assert.deepEqual(folders.filter((f) => !level.has(f)), [], 'folders the summary leaves out');
    assert.equal(level.size, lines.reduce((n, l) => n + l.split(', ').length, 0), 'a folder named twice');
    const above = folders.flatMap((folder) =>
      parseDepsList(readFileSync(join(ROOT, 'src', folder, 'DEPS.list'), 'utf8'), `src/${folder}`, `src/${folder}/DEPS.list`)
        .allowed.map((entry) => (entry === 'src/' ? 'cli-only' : entry.replace(/^src\//, '').split('/')[0]!))
        .filter((target) => target !== 'cli-only' && !((level.get(target) ?? Infinity) < level.get(folder)!))
        .map((target) => `${folder} may import ${target}, which the summary puts on its line or below it`),
    );
    assert.deepEqual(above, []);
  });

  describe('the import reader', function () {
    it('finds static, type-only, re-exported, side-effect and dynamic imports and requires, over several lines', function () {
      const source = [
        "import { a } from './a.js';",
        "import type { B } from '../b.js';",
        'import {',
        '  type C,',
        '  d as e,',
        "} from './c.js';",
        "export * from './star.js';",
        "export type { F } from './f.js';",
        "export { g as default } from './g.js';",
        "import './side-effect.js';",
        "const h = await import('./h.js');",
        "type I = typeof import('./i.js');",
        "import * as j from './j.js'",
        "const worker = fileURLToPath(new URL('./worker.js', import.meta.url));",
        "const k = require('./k.cjs'); const l = module.require('./not-l.cjs'); const m = require(`./${name}.cjs`);",
      ].join('\n');
      assert.deepEqual(parseImports(source), [
        { specifier: './a.js', line: 1 },
        { specifier: '../b.js', line: 2 },
        { specifier: './c.js', line: 6 },
        { specifier: './star.js', line: 7 },
        { specifier: './f.js', line: 8 },
        { specifier: './g.js', line: 9 },
        { specifier: './side-effect.js', line: 10 },
        { specifier: './h.js', line: 11 },
        { specifier: './i.js', line: 12 },
        { specifier: './j.js', line: 13 },
        { specifier: './worker.js', line: 14, kind: 'process' },
        { specifier: './k.cjs', line: 15 },
      ]);
    });

    it('does not take imports written in comments, strings, templates or regular expressions for real ones', function () {
      const source = [
        "// import { x } from './comment.js';",
        "/* export * from './block.js' */",
        "const s = \"import { y } from './string.js'\";",
        "const t = `import { z } from './template.js' ${'${'}x}`;",
        "const u = `${`import('./nested.js')`}`;",
        "const r = /import '.\\/regex.js'/;",
        'const o = { import: 1 }; o.import;',
        "export const from = 'x';",
        "export function f() { return 'y'; }",
        'const half = 1 / 2; const ratio = (half) / 3;',
        "import { real } from './real.js';",
      ].join('\n');
      assert.deepEqual(parseImports(source), [{ specifier: './real.js', line: 11 }]);
      assert.deepEqual(parseImports("#!/usr/bin/env node\nimport { main } from './commands.js';"), [{ specifier: './commands.js', line: 2 }], 'after a shebang line');
    });

    it('finds every import TypeScript finds in the tree', function () {
      // TypeScript's own pre-processor (a scanner, no type checking) is the reference; ours is
      // used by the check because it needs no half-second load. Ours also sees processes started by path.
      const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');
      const graph = readImportGraph(ROOT, [...LAYOUT.split, ...LAYOUT.whole]);
      const missed: string[] = [];
      let compared = 0;
      for (const file of graph.files) {
        const text = readFileSync(join(ROOT, file), 'utf8');
        const ours = new Set(parseImports(text).filter((s) => s.kind === undefined).map((s) => s.specifier));
        const theirs = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
        compared += theirs.length;
        for (const specifier of theirs) if (!ours.has(specifier)) missed.push(`${file}: ${specifier}`);
        for (const specifier of ours) if (!theirs.includes(specifier)) missed.push(`${file}: ${specifier} (not an import for TypeScript)`);
      }
      assert.ok(compared > 300, `compared ${compared} imports`);
      assert.deepEqual(missed, []);
    });
  });

  describe('the check, on a made-up tree', function () {
    const layout: LayerLayout = { split: ['src'], whole: ['reporters'] };
    const layers = ['reporters', 'src', 'src/core', 'src/load', 'src/run'];
    const rules = [
      parseDepsList('./core/\n./load/\n./run/\n', 'src', 'src/DEPS.list'),
      parseDepsList('# nothing\n', 'src/core', 'src/core/DEPS.list'),
      parseDepsList('../core/\n', 'src/load', 'src/load/DEPS.list'),
      parseDepsList('../core/\n../load/x.ts\n', 'src/run', 'src/run/DEPS.list'),
      parseDepsList('../src/\n', 'reporters', 'reporters/DEPS.list'),
    ];
    const existing = new Set(['src/', 'src/core/', 'src/load/', 'src/run/', 'src/load/x.ts']);
    const files = ['src/index.ts', 'src/core/a.ts', 'src/core/b.ts', 'src/load/x.ts', 'src/load/y.ts', 'src/run/r.ts', 'reporters/p.ts'];
    const clean = [
      { from: 'src/index.ts', to: 'src/run/r.ts', line: 1 },
      { from: 'src/run/r.ts', to: 'src/load/x.ts', line: 2 },
      { from: 'src/load/x.ts', to: 'src/core/a.ts', line: 3 },
      { from: 'src/core/a.ts', to: 'src/core/b.ts', line: 4 },
      { from: 'reporters/p.ts', to: 'src/index.ts', line: 5 },
    ];
    const check = (edges: ImportGraph['edges'], more: Partial<Parameters<typeof checkLayering>[0]> = {}) =>
      checkLayering({ graph: { files, edges }, layout, layers, rules, listFiles: layers.map((l) => `${l}/DEPS.list`), exists: (p) => existing.has(p), ...more });

    it('passes a tree that keeps its rules', function () {
      assert.equal(report(check(clean)), '');
    });

    it('reports a cycle of files as a chain with the line of each import', function () {
      const r = check([...clean, { from: 'src/core/b.ts', to: 'src/core/a.ts', line: 9 }]);
      assert.deepEqual(r.fileCycles, ['src/core/a.ts → src/core/b.ts → src/core/a.ts  (imports at src/core/a.ts:4, src/core/b.ts:9)']);
      assert.deepEqual(r.folderCycles, [], 'a cycle inside one folder is not one between folders');
    });

    it('reports a cycle between folders with an import for each step, and the rule it breaks', function () {
      const r = check([...clean, { from: 'src/core/b.ts', to: 'src/load/y.ts', line: 7, kind: 'process' }]);
      assert.deepEqual(r.folderCycles, ['src/core → src/load → src/core  (e.g. src/core/b.ts:7 → src/load/y.ts; src/load/x.ts:3 → src/core/a.ts)']);
      assert.deepEqual(r.forbidden, ['src/core/b.ts:7 → src/load/y.ts (starts it as a process): src/core may not import src/load (src/core/DEPS.list allows nothing outside its folder)']);
      assert.deepEqual(r.fileCycles, [], 'no file cycle: y.ts imports nothing');
    });

    it('reports an import its rules do not name, down to the single file a rule allows', function () {
      const r = check([...clean, { from: 'src/run/r.ts', to: 'src/load/y.ts', line: 8, kind: undefined }]);
      assert.deepEqual(r.forbidden, ['src/run/r.ts:8 → src/load/y.ts: src/run may not import src/load (src/run/DEPS.list allows src/core/, src/load/x.ts)']);
      assert.deepEqual([...r.fileCycles, ...r.folderCycles], []);
    });

    it('reports cycles between sibling folders below the layers, and between top-level folders', function () {
      const deeper = ['src/core/p/one.ts', 'src/core/q/two.ts'];
      const r = checkLayering({
        graph: {
          files: [...files, ...deeper],
          edges: [...clean, { from: deeper[0]!, to: deeper[1]!, line: 1 }, { from: 'src/core/q/two.ts', to: 'src/core/b.ts', line: 2 }, { from: 'src/core/b.ts', to: deeper[0]!, line: 3 }],
        },
        layout, layers, rules, listFiles: [], exists: (p) => existing.has(p),
      });
      assert.deepEqual(r.folderCycles, [], 'a folder and its subfolders may use each other');
      const sibling = check([...clean, { from: 'src/core/p/one.ts', to: 'src/core/q/two.ts', line: 1 }, { from: 'src/core/q/two.ts', to: 'src/core/p/one.ts', line: 2 }]);
      assert.deepEqual(sibling.folderCycles, ['src/core/p → src/core/q → src/core/p  (e.g. src/core/p/one.ts:1 → src/core/q/two.ts; src/core/q/two.ts:2 → src/core/p/one.ts)']);
      const top = check([...clean, { from: 'src/run/r.ts', to: 'reporters/p.ts', line: 6 }]);
      assert.ok(top.folderCycles.includes('reporters → src → reporters  (e.g. reporters/p.ts:5 → src/index.ts; src/run/r.ts:6 → reporters/p.ts)'), top.folderCycles.join('\n'));
    });

    it('leaves a pending edge out of every check, and reports a pending allowance nothing needs', function () {
      const back = { from: 'src/run/r.ts', to: 'reporters/p.ts', line: 6 };
      const pending: Allowance[] = [{ from: 'src/run', to: 'reporters', why: 'moving' }];
      assert.equal(report(check([...clean, back], { pending })), '');
      assert.deepEqual(check(clean, { pending }).stalePending, ['src/run → reporters is allowed as pending, but no import needs that any more: delete the allowance']);
    });

    it('reports rules that are wrong: a layer without rules, a list never read, an entry naming nothing, rules allowing a cycle', function () {
      const r = check(clean, {
        layers: [...layers, 'src/plan'],
        listFiles: ['src/core/sub/DEPS.list'],
        rules: [...rules.filter((x) => x.layer !== 'src/core'), parseDepsList('../load/\n../gone/\n', 'src/core', 'src/core/DEPS.list')],
      });
      assert.deepEqual(r.rules, [
        'src/plan has no DEPS.list: write down which folders it may import',
        "src/core/sub/DEPS.list is never read: a layer's rules are in its own folder (src/core/DEPS.list)",
        'src/core/DEPS.list allows src/gone/, which does not exist',
        'the rules allow a cycle: src/core → src/load → src/core (see the DEPS.list of each)',
      ]);
    });

    it('maps files to layers: src/ level, a src/ folder with its subfolders, a whole folder', function () {
      assert.deepEqual(
        ['src/index.ts', 'src/schemas/core/x.ts', 'reporters/html/client/app.ts', 'test/unit/x.ts'].map((f) => layerOf(f, layout)),
        ['src', 'src/schemas', 'reporters', undefined],
      );
    });

    it('finds the cycles of a graph: the shortest of each tangle, with the rest of its members', function () {
      const edges = [['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd'], ['d', 'c'], ['e', 'e'], ['f', 'a']].map(([from, to]) => ({ from: from!, to: to! }));
      assert.deepEqual(findCycles(['a', 'b', 'c', 'd', 'e', 'f'], edges).map(describeTangle), ['c → d → c (and through it, 2 more caught in cycles: a, b)', 'e → e']);
    });
  });
});
