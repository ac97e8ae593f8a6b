/** Evaluates a job bundle in this process and returns the job definition it exports. */
import { createRequire } from 'node:module';
import { runInThisContext } from 'node:vm';
import * as api from '../index.ts';
import type { JobDefinition } from '../api/job-definition.ts';

const nodeRequire = createRequire(import.meta.url);

/** Runs the bundle's code with `sluice` bound to this process's API. */
export function loadJobBundle(code: string, filename = 'job-bundle.cjs'): JobDefinition {
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
  const definition = (exported.default ?? exported) as Partial<JobDefinition>;
  if (!definition || typeof definition.build !== 'function' || typeof definition.name !== 'string') {
    throw new Error('the job module must export a definition made with defineJob({ name, build }) as its default export');
  }
  return definition as JobDefinition;
}
