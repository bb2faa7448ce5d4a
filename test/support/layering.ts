/**
 * The project's layering rules and their check. A layer is a folder whose files may import only
 * what its `DEPS.list` names (in the manner of Playwright's DEPS.list files): in `src/`, each
 * folder with everything under it, and the files at src/'s own level; `reporters/` and `bench/`
 * as a whole. The check finds, in an import graph: cycles between files, cycles between layers or
 * between sibling folders at any depth, imports a layer's rules do not allow, and rules that are
 * themselves wrong (a layer without rules, an entry naming nothing, rules that allow a cycle).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describeFileCycle, describeTangle, findCycles, listFiles, type ImportEdge, type ImportGraph } from './import-graph.js';

/** Where layers are: each `split` folder gives a layer per subfolder plus one for its own files; each `whole` folder is one layer. */
export interface LayerLayout {
  split: string[];
  whole: string[];
}

/** A layer's rules: the folders (ending with `/`) and files, relative to the project root, its files may import. */
export interface LayerRules {
  layer: string;
  /** The list they come from, for messages. */
  source: string;
  allowed: string[];
}

/** An edge from one layer to another that the rules forbid but that is known and pending, with why. */
export interface Allowance {
  from: string;
  to: string;
  why: string;
}

export interface LayeringInput {
  graph: ImportGraph;
  layout: LayerLayout;
  /** Every layer folder, files or not (a layer may be only its DEPS.list, waiting for code). */
  layers: string[];
  rules: LayerRules[];
  /** Where DEPS.list files were found, to flag one the check would never read. */
  listFiles: string[];
  /** Whether a path (a file, or a folder ending with `/`) exists: a rule naming nothing is a typo. */
  exists(path: string): boolean;
  pending?: Allowance[];
}

/** Everything wrong, as readable lines; all empty when the layering holds. */
export interface LayeringReport {
  fileCycles: string[];
  folderCycles: string[];
  forbidden: string[];
  rules: string[];
  /** Pending allowances that no edge needs any more: delete them. */
  stalePending: string[];
}

/** The layer a file belongs to, or undefined when it is outside the layout. */
export function layerOf(file: string, layout: LayerLayout): string | undefined {
  const parts = file.split('/');
  if (layout.whole.includes(parts[0]!)) return parts[0];
  if (!layout.split.includes(parts[0]!)) return undefined;
  return parts.length === 2 ? parts[0] : `${parts[0]}/${parts[1]}`;
}

/**
 * Parses a DEPS.list: one allowed path per line, relative to the list's folder; a folder ends
 * with `/`; `#` starts a comment.
 */
export function parseDepsList(text: string, layer: string, source: string): LayerRules {
  const allowed: string[] = [];
  for (const raw of text.split('\n')) {
    const entry = raw.replace(/#.*/, '').trim();
    if (entry === '') continue;
    const path = posix.normalize(posix.join(layer, entry));
    allowed.push(entry.endsWith('/') ? `${path.replace(/\/$/, '')}/` : path);
  }
  return { layer, source, allowed };
}

const admits = (entry: string, file: string): boolean => (entry.endsWith('/') ? file.startsWith(entry) : file === entry);

/** Checks a graph against the layering; see LayeringReport. */
export function checkLayering(input: LayeringInput): LayeringReport {
  const { graph, layout, rules } = input;
  const byLayer = new Map(rules.map((r) => [r.layer, r]));
  const pending = input.pending ?? [];
  const layerOfFile = (file: string) => layerOf(file, layout);
  const isPending = (from: string | undefined, to: string | undefined) => pending.some((a) => a.from === from && a.to === to);
  const usedPending = new Set<Allowance>();

  const forbidden: string[] = [];
  const checked: ImportEdge[] = [];
  for (const edge of graph.edges) {
    const from = layerOfFile(edge.from);
    const to = layerOfFile(edge.to);
    const r = from === undefined ? undefined : byLayer.get(from);
    if (from !== undefined && to !== undefined && from !== to && r && !r.allowed.some((entry) => admits(entry, edge.to))) {
      const allowance = pending.find((a) => a.from === from && a.to === to);
      if (allowance) {
        usedPending.add(allowance);
        continue; // pending: left out of every check until it is gone
      }
      forbidden.push(describeForbidden(edge, from, to, r));
    }
    if (!isPending(from, to)) checked.push(edge);
  }

  return {
    fileCycles: findCycles(graph.files, checked).map((tangle) => describeFileCycle(tangle, checked)),
    folderCycles: folderCycles(checked, layout),
    forbidden,
    rules: ruleProblems(input),
    stalePending: pending.filter((a) => !usedPending.has(a)).map((a) => `${a.from} → ${a.to} is allowed as pending, but no import needs that any more: delete the allowance`),
  };
}

function describeForbidden(edge: ImportEdge, from: string, to: string, r: LayerRules): string {
  const allowed = r.allowed.length === 0 ? 'nothing outside its folder' : r.allowed.join(', ');
  const how = edge.kind === 'process' ? ' (starts it as a process)' : '';
  return `${edge.from}:${edge.line} → ${edge.to}${how}: ${from} may not import ${to} (${r.source} allows ${allowed})`;
}

/**
 * Cycles between layers, and between sibling folders at every depth (src ↔ reporters,
 * reporters/html ↔ reporters/x): at depth d every file counts for its ancestor folder of d
 * levels; files less deep than that take no part. A folder and its own subfolders never form a
 * cycle of this kind (a registry that imports its entries, which import its contract).
 */
function folderCycles(edges: readonly ImportEdge[], layout: LayerLayout): string[] {
  const groupings: Array<(file: string) => string | undefined> = [(file) => layerOf(file, layout)];
  const deepest = Math.max(0, ...edges.flatMap((e) => [e.from, e.to]).map((f) => f.split('/').length - 1));
  for (let depth = 1; depth <= deepest; depth++) {
    groupings.push((file) => {
      const dirs = file.split('/').slice(0, -1);
      return dirs.length >= depth ? dirs.slice(0, depth).join('/') : undefined;
    });
  }
  const seen = new Set<string>();
  const out: string[] = [];
  for (const groupOf of groupings) {
    const examples = new Map<string, ImportEdge>();
    const groupEdges: Array<{ from: string; to: string }> = [];
    for (const edge of edges) {
      const from = groupOf(edge.from);
      const to = groupOf(edge.to);
      if (from === undefined || to === undefined || from === to) continue;
      const key = `${from}\0${to}`;
      if (examples.has(key)) continue;
      examples.set(key, edge);
      groupEdges.push({ from, to });
    }
    for (const tangle of findCycles([], groupEdges)) {
      const { chain } = tangle;
      const text = describeTangle(tangle);
      if (seen.has(chain.join(' → '))) continue;
      seen.add(chain.join(' → '));
      const hops = chain.slice(0, -1).map((from, i) => {
        const e = examples.get(`${from}\0${chain[i + 1]}`)!;
        return `${e.from}:${e.line} → ${e.to}`;
      });
      out.push(`${text}  (e.g. ${hops.join('; ')})`);
    }
  }
  return out;
}

function ruleProblems(input: LayeringInput): string[] {
  const { layers, rules, layout } = input;
  const problems: string[] = [];
  const ruled = new Set(rules.map((r) => r.layer));
  for (const layer of layers) if (!ruled.has(layer)) problems.push(`${layer} has no DEPS.list: write down which folders it may import`);
  for (const list of input.listFiles) {
    const folder = posix.dirname(list);
    const owner = layers.filter((l) => folder.startsWith(`${l}/`)).sort((a, b) => b.length - a.length)[0];
    if (!layers.includes(folder)) problems.push(`${list} is never read: a layer's rules are in its own folder${owner ? ` (${owner}/DEPS.list)` : ''}`);
  }
  for (const r of rules) {
    for (const entry of r.allowed) if (!input.exists(entry)) problems.push(`${r.source} allows ${entry}, which does not exist`);
  }
  // The rules themselves must be one-way, or the order they claim is not an order.
  const allows: Array<{ from: string; to: string }> = [];
  for (const r of rules) {
    for (const entry of r.allowed) {
      const admitted = entry.endsWith('/') ? layers.filter((l) => `${l}/`.startsWith(entry)) : [layerOf(entry, layout)].filter((l): l is string => l !== undefined);
      for (const to of admitted) if (to !== r.layer) allows.push({ from: r.layer, to });
    }
  }
  for (const tangle of findCycles([], allows)) problems.push(`the rules allow a cycle: ${describeTangle(tangle)} (see the DEPS.list of each)`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Reading a tree

/** The layer folders of a tree (existing folders only). */
export function listLayers(root: string, layout: LayerLayout): string[] {
  const layers: string[] = [];
  const isDir = (rel: string) => existsSync(join(root, rel)) && statSync(join(root, rel)).isDirectory();
  for (const folder of layout.whole) if (isDir(folder)) layers.push(folder);
  for (const folder of layout.split) {
    if (!isDir(folder)) continue;
    layers.push(folder);
    for (const name of readdirSync(join(root, folder))) if (isDir(posix.join(folder, name))) layers.push(posix.join(folder, name));
  }
  return layers.sort();
}

/** Every DEPS.list under the layout's folders, at any depth. */
export function listDepsFiles(root: string, layout: LayerLayout): string[] {
  return listFiles(root, [...layout.split, ...layout.whole], (name) => name === 'DEPS.list');
}

/** The rules of each layer that has a DEPS.list. */
export function readLayerRules(root: string, layers: readonly string[]): LayerRules[] {
  return layers
    .filter((layer) => existsSync(join(root, layer, 'DEPS.list')))
    .map((layer) => parseDepsList(readFileSync(join(root, layer, 'DEPS.list'), 'utf8'), layer, posix.join(layer, 'DEPS.list')));
}

/** Whether a rule entry names something in the tree: a folder (ending with `/`) or a file. */
export function pathExists(root: string, path: string): boolean {
  const full = join(root, path);
  if (!existsSync(full)) return false;
  return path.endsWith('/') ? statSync(full).isDirectory() : statSync(full).isFile();
}
