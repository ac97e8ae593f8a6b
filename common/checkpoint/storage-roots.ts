/**
 * The directories a caller may name for savepoints and restores: the JobManager confines the
 * paths of requests to them, and a TaskManager the savepoint directory a barrier names. A path from a request is resolved
 * against the first root when relative, and by its real location (`..` and symlinks followed, for
 * the part that exists) before it is compared with the roots, so that neither `../../tmp/x` nor a
 * symlink inside a root leads out of them.
 */
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { permissionDenied } from '../errors.ts';

async function realLocation(path: string): Promise<string> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(await realpath(current), ...missing.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const parent = dirname(current);
      if (parent === current) throw error;
      missing.push(basename(current));
      current = parent;
    }
  }
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The configured roots and the check of a requested path against them. */
export class StorageRoots {
  private readonly roots: readonly string[];

  constructor(roots: readonly string[]) {
    if (roots.length === 0) throw new Error('at least one savepoint root is needed');
    this.roots = roots.map((r) => resolve(r));
  }

  /** The roots, absolute. */
  get paths(): readonly string[] {
    return this.roots;
  }

  /** The real absolute location of `path` if it lies inside a root; PERMISSION_DENIED naming the roots otherwise. */
  async confine(path: string, what: string): Promise<string> {
    const requested = resolve(this.roots[0]!, path);
    const real = await realLocation(requested);
    for (const root of this.roots) if (inside(real, await realLocation(root))) return real;
    throw permissionDenied(`${what} ${path} is outside the savepoint roots (${this.roots.join(', ')}); the JobManager's --savepoint-root names them`);
  }
}
