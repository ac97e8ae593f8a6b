/**
 * Generates the TypeScript types of `proto/*.proto` into `proto/generated/`.
 * With `--check` it generates into a temporary folder and fails if the committed types differ,
 * so hand edits and stale types cannot land.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const protoDir = join(root, 'proto');
const committed = join(protoDir, 'generated');
const check = process.argv.includes('--check');
const outDir = check ? mkdtempSync(join(tmpdir(), 'sluice-proto-')) : committed;

const protos = readdirSync(protoDir).filter((f) => f.endsWith('.proto'));
execFileSync(
  join(root, 'node_modules/.bin/proto-loader-gen-types'),
  ['--longs=Number', '--enums=String', '--defaults', '--oneofs', '--grpcLib=@grpc/grpc-js', '-I', '.', '-O', outDir, ...protos],
  { stdio: 'inherit', cwd: protoDir },
);

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

if (check) {
  const fresh = listFiles(outDir).map((f) => relative(outDir, f)).sort();
  const old = listFiles(committed).map((f) => relative(committed, f)).sort();
  const stale = fresh.filter((f) => !old.includes(f) || readFileSync(join(outDir, f), 'utf8') !== readFileSync(join(committed, f), 'utf8'));
  const extra = old.filter((f) => !fresh.includes(f));
  rmSync(outDir, { recursive: true, force: true });
  if (stale.length || extra.length) {
    console.error(`proto/generated is out of date (${[...stale, ...extra].join(', ')}); run npm run gen:proto`);
    process.exit(1);
  }
  console.log(`proto/generated is up to date (${fresh.length} files)`);
}
