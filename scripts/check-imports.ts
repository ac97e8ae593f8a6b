/**
 * Fails on circular imports and on imports that cross the architecture's lines:
 * `jobmanager/` and `taskmanager/` never import each other, `common/` imports only `common/` and
 * `proto/`, `connectors/` imports only `common/`, `connectors/` and `proto/`, and `client/` imports no
 * process internals. The import graph comes from esbuild's metafile over every entry point.
 */
import { build } from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const SOURCE_DIRS = ['common', 'client', 'jobmanager', 'taskmanager', 'connectors', 'bin', 'jobs', 'bench'];

/** Folders each folder may import from (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  proto: [],
  common: ['proto'],
  connectors: ['common', 'proto'],
  client: ['common', 'connectors', 'proto'],
  jobmanager: ['common', 'proto'],
  taskmanager: ['common', 'connectors', 'client', 'proto'],
  bin: ['client', 'jobmanager', 'taskmanager', 'common'],
  jobs: ['client', 'common', 'connectors'],
  bench: ['client', 'common', 'connectors', 'jobmanager', 'taskmanager', 'proto', 'test'],
};

function listTs(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : listTs(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

const entries = SOURCE_DIRS.flatMap((d) => listTs(join(root, d)));
const result = await build({
  entryPoints: entries,
  bundle: true,
  write: false,
  metafile: true,
  platform: 'node',
  format: 'esm',
  outdir: join(root, '.import-check'),
  packages: 'external',
  external: ['sluice'],
  logLevel: 'silent',
});

const graph = new Map<string, string[]>();
for (const [file, input] of Object.entries(result.metafile.inputs)) {
  graph.set(file, input.imports.filter((i) => !i.external && i.path in result.metafile.inputs).map((i) => i.path));
}

const problems: string[] = [];
const folderOf = (file: string): string => relative(root, join(root, file)).split('/')[0] ?? '';
for (const [file, imports] of graph) {
  const from = folderOf(file);
  const allowed = ALLOWED[from];
  if (!allowed) continue;
  for (const target of imports) {
    const to = folderOf(target);
    if (to !== from && !allowed.includes(to)) problems.push(`${file} imports ${target}: ${from}/ may not import ${to}/`);
  }
}

const state = new Map<string, 'visiting' | 'done'>();
const stack: string[] = [];
const visit = (file: string): void => {
  const s = state.get(file);
  if (s === 'done') return;
  if (s === 'visiting') {
    problems.push(`circular import: ${[...stack.slice(stack.indexOf(file)), file].join(' -> ')}`);
    return;
  }
  state.set(file, 'visiting');
  stack.push(file);
  for (const next of graph.get(file) ?? []) visit(next);
  stack.pop();
  state.set(file, 'done');
};
for (const file of graph.keys()) visit(file);

if (problems.length > 0) {
  console.error(`import check failed:\n  ${[...new Set(problems)].join('\n  ')}`);
  process.exit(1);
}
console.log(`import check passed: ${graph.size} files, no cycles, no forbidden imports`);
