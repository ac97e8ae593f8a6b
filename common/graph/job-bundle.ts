/**
 * Evaluates a job bundle: the CommonJS file the client makes of a job module, with the runtime's
 * public API left as the import `sluice`. Each process binds that import to its own copy of the
 * API, passed in by the caller, since common/ does not import the client.
 */
import { createRequire } from 'node:module';
import { runInThisContext } from 'node:vm';
import { isJobBlueprint, type JobBlueprint } from './build-job.ts';

const nodeRequire = createRequire(import.meta.url);

/** Runs the bundle's code with `sluice` bound to `api` and returns the job it exports. */
export function loadJobBundle(code: string, filename: string, api: object): JobBlueprint {
  const wrapper = runInThisContext(`(function (require, module, exports, __filename, __dirname) {${code}\n})`, { filename }) as (
    require: (id: string) => unknown,
    module: { exports: unknown },
    exports: unknown,
    filename: string,
    dirname: string,
  ) => void;
  const module = { exports: {} as Record<string, unknown> };
  const requireFn = (id: string): unknown => (id === 'sluice' ? api : nodeRequire(id));
  wrapper(requireFn, module, module.exports, filename, '.');
  const exported = module.exports as { default?: unknown };
  const definition = exported.default ?? exported;
  if (!isJobBlueprint(definition)) {
    throw new Error('the job module must export a definition made with defineJob({ name, build }) as its default export');
  }
  return definition;
}
