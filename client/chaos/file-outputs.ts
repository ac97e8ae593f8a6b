/** Which `file:` arguments of a job are outputs, the ones a chaos run compares. */
import type { JobPlan } from '../../common/graph/job-plan.ts';
import { pathOfFileUri } from '../../connectors/file/file-uri.ts';

/**
 * The names of the `file:` arguments that no source of the planned job reads: its file outputs.
 * A file source is matched by its path, with or without the URI's `?rate=...` parameters.
 */
export function fileOutputNames(plan: JobPlan, args: Readonly<Record<string, string>>): string[] {
  const read = new Set<string>();
  for (const node of plan.parallelism.keys()) {
    const pattern = (node.source as { readonly pattern?: unknown } | undefined)?.pattern;
    if (node.kind === 'source' && node.source?.kind === 'file' && typeof pattern === 'string') read.add(pattern);
  }
  return Object.entries(args)
    .filter(([, uri]) => uri.startsWith('file:'))
    .filter(([, uri]) => {
      const path = pathOfFileUri(uri);
      const query = path.indexOf('?');
      return !read.has(path) && !(query > 0 && read.has(path.slice(0, query)));
    })
    .map(([name]) => name);
}
