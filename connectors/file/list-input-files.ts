/**
 * Resolves the path of a `file:` input (a file, a directory or a glob) into the sorted list of
 * files it stands for. Every subtask calls this and must get the same list.
 */
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

/**
 * Lists the files of an input, as absolute paths sorted by plain string comparison.
 * - A regular file stands for itself.
 * - A directory stands for the regular files directly inside it whose name starts with
 *   neither `.` nor `_` (hidden, in-progress and marker files such as `_SUCCESS`).
 * - Anything else that contains glob syntax is matched with tinyglobby (files only, no dot files).
 * Throws an Error naming the pattern when nothing matches.
 */
export async function listInputFiles(pattern: string): Promise<string[]> {
  const absolute = resolve(pattern);
  const info = await stat(absolute).catch(() => undefined);
  let files: string[];
  if (info?.isFile()) {
    files = [absolute];
  } else if (info?.isDirectory()) {
    files = await listDirectory(absolute);
  } else if (isDynamicPattern(pattern)) {
    files = await listGlob(pattern);
  } else {
    throw new Error(`"${pattern}" is neither a file, a directory nor a glob that matches anything (no such file or directory)`);
  }
  if (files.length === 0) throw new Error(`no files match "${pattern}"`);
  return files.sort(compareStrings);
}

async function listDirectory(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
    const path = join(dir, entry.name);
    if (entry.isFile()) {
      files.push(path);
    } else if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => undefined);
      if (target?.isFile()) files.push(path);
    }
  }
  return files;
}

/** Globs from the pattern's static base directory, so the crawl never starts wider than needed. */
async function listGlob(pattern: string): Promise<string[]> {
  const segments = pattern.split('/');
  let staticCount = 0;
  while (staticCount < segments.length - 1 && !isDynamicPattern(segments[staticCount] ?? '')) staticCount++;
  const baseSegments = segments.slice(0, staticCount);
  let base = baseSegments.join('/');
  if (base === '' && isAbsolute(pattern)) base = sep;
  const cwd = resolve(base === '' ? '.' : base);
  const rest = segments.slice(staticCount).join('/');
  return glob(rest, { cwd, absolute: true, onlyFiles: true, dot: false, expandDirectories: false });
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
