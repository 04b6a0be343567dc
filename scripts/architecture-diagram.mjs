// Draws the folder-level import graph of the code (from dependency-cruiser, the same tool
// that enforces the import rules) as a Mermaid flowchart and keeps it in docs/ARCHITECTURE.md
// between the diagram markers, so the picture is the code's, not a memory of it.
//   node scripts/architecture-diagram.mjs           rewrite the diagram in the doc
//   node scripts/architecture-diagram.mjs --check   fail when the doc's diagram is out of date (npm run check)
// Imports of shared/ and electron/core/util/ are left out (every folder may use them), and an
// arrow A → C is left out when A → B → C already shows it (transitive reduction).
import fs from 'node:fs';
import { cruise } from 'dependency-cruiser';

const DOC = 'docs/ARCHITECTURE.md';
const START = '<!-- folder-graph:start (npm run docs:diagram) -->';
const END = '<!-- folder-graph:end -->';

/** The box a file belongs to: a folder of the core, or one of the other parts. */
function boxOf(file) {
  if (file.startsWith('shared/')) return 'shared';
  if (file.startsWith('renderer/')) return 'renderer';
  const m = /^electron\/(cli|main|preload)\//.exec(file);
  if (m) return m[1];
  const core = /^electron\/core\/([^/]+)(\/)?/.exec(file);
  if (!core) return null;
  return core[2] ? `core/${core[1]}` : `core/${core[1].replace(/\.ts$/, '')}`;
}

const LEFT_OUT = new Set(['shared', 'core/util']);

async function folderGraph() {
  const result = await cruise(['shared', 'electron', 'renderer/src'], {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|test)' },
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
    moduleSystems: ['es6', 'cjs'],
  });
  const boxes = new Set();
  const edges = new Map(); // from → Set(to)
  for (const mod of result.output.modules) {
    const from = boxOf(mod.source);
    if (!from) continue;
    boxes.add(from);
    for (const dep of mod.dependencies) {
      const to = boxOf(dep.resolved);
      if (!to || to === from || LEFT_OUT.has(to)) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from).add(to);
    }
  }
  return { boxes: [...boxes].filter((b) => !LEFT_OUT.has(b)).sort(), edges };
}

/** Drops A → C when C is reachable from A another way. */
function reduce(edges) {
  const reach = (from, skipTo) => {
    const seen = new Set();
    const stack = [...(edges.get(from) ?? [])].filter((t) => t !== skipTo);
    while (stack.length) {
      const n = stack.pop();
      if (seen.has(n)) continue;
      seen.add(n);
      for (const m of edges.get(n) ?? []) stack.push(m);
    }
    return seen;
  };
  const kept = [];
  for (const [from, tos] of [...edges].sort()) for (const to of [...tos].sort()) if (!reach(from, to).has(to)) kept.push([from, to]);
  return kept;
}

const id = (box) => box.replace(/[^a-z0-9]/gi, '_');

function mermaid({ boxes, edges }) {
  const lines = ['```mermaid', 'flowchart TB'];
  const outside = boxes.filter((b) => !b.startsWith('core/'));
  const core = boxes.filter((b) => b.startsWith('core/'));
  for (const b of outside) lines.push(`  ${id(b)}[${b === 'renderer' ? 'renderer (React UI)' : `electron/${b}`}]`);
  lines.push('  subgraph core [electron/core]');
  for (const b of core) lines.push(`    ${id(b)}[${b.slice(5)}]`);
  lines.push('  end');
  for (const [from, to] of reduce(edges)) lines.push(`  ${id(from)} --> ${id(to)}`);
  lines.push('```');
  return lines.join('\n');
}

/** Folder cycles (A → … → A): named, since a picture of them would lie. */
function cycles(edges) {
  const found = [];
  const state = new Map(); // box → 'open' | 'done'
  const path = [];
  const visit = (box) => {
    state.set(box, 'open');
    path.push(box);
    for (const next of [...(edges.get(box) ?? [])].sort()) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(box, 'done');
  };
  for (const box of [...edges.keys()].sort()) if (!state.has(box)) visit(box);
  return found;
}

const graph = await folderGraph();
const loops = cycles(graph.edges);
if (loops.length) {
  console.error(`folders import each other: ${loops.join(', ')}; a folder's imports go one way (move the shared part down)`);
  process.exit(1);
}
const diagram = mermaid(graph);
const doc = fs.readFileSync(DOC, 'utf8');
const a = doc.indexOf(START);
const b = doc.indexOf(END);
if (a < 0 || b < a) {
  console.error(`${DOC} has no diagram markers (${START} … ${END})`);
  process.exit(1);
}
const next = `${doc.slice(0, a + START.length)}\n${diagram}\n${doc.slice(b)}`;
if (process.argv.includes('--check')) {
  if (next !== doc) {
    console.error(`${DOC}: the folder diagram is out of date with the code's imports; run npm run docs:diagram`);
    process.exit(1);
  }
  console.log('docs:diagram: the folder diagram matches the code');
} else {
  fs.writeFileSync(DOC, next);
  console.log(`docs:diagram: wrote the folder diagram into ${DOC}`);
}
