/**
 * The import rules of Sluice (`npm run check:imports`), checked by dependency-cruiser over the
 * TypeScript sources with type-only imports included (`tsPreCompilationDeps`), so that an
 * `import type` crosses a line or closes a cycle just as a value import does.
 *
 * Layers, top to bottom (docs/architecture.md draws them):
 *   bin → client | jobmanager | taskmanager → connectors → common → proto
 * `jobmanager/` and `taskmanager/` never import each other. `taskmanager/` reaches the user API
 * only through `client/runtime.ts`, the module that lists the user-facing contracts a
 * TaskManager runs. Inside `taskmanager/`, dependencies run
 *   (root) → task → checkpoint → operators → state, with network below task and checkpoint.
 */
const SOURCES = '^(bin|client|common|connectors|jobmanager|taskmanager|jobs|bench|scripts|test)/';

/** A rule that `from` may import nothing in `to`. */
function forbid(name, comment, from, to) {
  return { name, comment, severity: 'error', from: { path: from }, to: { path: to } };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Every cycle fails, type-only ones included: a cycle means two modules are one role split in two, or a contract is missing.',
      severity: 'error',
      from: { path: SOURCES },
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      severity: 'error',
      from: { path: SOURCES },
      to: { couldNotResolve: true },
    },
    forbid('common-is-shared', 'common/ is used by every process and imports only common/ and proto/.', '^common/', '^(bin|client|connectors|jobmanager|taskmanager|jobs|bench|scripts|test)/'),
    forbid('connectors-below-processes', 'Connectors run inside TaskManagers and build on common/ only.', '^connectors/', '^(bin|client|jobmanager|taskmanager|jobs|bench|scripts|test)/'),
    forbid('client-no-process-internals', 'The client API and CLI talk to processes over proto/, never through their code.', '^client/', '^(bin|jobmanager|taskmanager|jobs|bench|scripts|test)/'),
    forbid('jobmanager-alone', 'The JobManager meets the TaskManagers and the client only through proto/ and common/.', '^jobmanager/', '^(bin|client|connectors|taskmanager|jobs|bench|scripts|test)/'),
    forbid('taskmanager-alone', 'A TaskManager meets the JobManager only through proto/ and common/.', '^taskmanager/', '^(bin|jobmanager|jobs|bench|scripts|test)/'),
    forbid(
      'taskmanager-client-contracts-only',
      'A TaskManager runs user code through the contracts client/runtime.ts lists, never through the rest of the client.',
      '^taskmanager/',
      '^client/(?!runtime\\.ts$)',
    ),
    forbid('jobs-use-the-public-api', "Job modules import the runtime as 'sluice', as a user's job would.", '^jobs/', '^(bin|common|connectors|jobmanager|taskmanager|bench|scripts|test)/|^client/(?!index\\.ts$)'),
    forbid('bin-no-tests', 'The executable does not depend on tests or benchmarks.', '^bin/', '^(jobs|bench|scripts|test)/'),
    forbid('tm-state-at-the-bottom', 'Keyed state and its snapshots know nothing of tasks, operators, checkpoints or the network.', '^taskmanager/state/', '^taskmanager/(?!state/)'),
    forbid('tm-network-below-tasks', 'The data plane moves messages; it knows nothing of operators, state or checkpoints.', '^taskmanager/network/', '^taskmanager/(?!network/)'),
    forbid('tm-operators-below-checkpoints', 'Operators use keyed state; tasks and checkpoints drive them.', '^taskmanager/operators/', '^taskmanager/(?!operators/|state/)'),
    forbid('tm-checkpoint-below-tasks', 'The checkpointer snapshots operators and state for the task that owns it.', '^taskmanager/checkpoint/', '^taskmanager/(?!checkpoint/|operators/|network/|state/)'),
    forbid('tm-task-below-the-executor', 'Tasks are built and run by the task executor, not the other way round.', '^taskmanager/task/', '^taskmanager/(?!task/|checkpoint/|operators/|network/|state/)'),
    forbid('tm-job-leaf', 'The job table loads bundles and plans; it knows nothing of tasks.', '^taskmanager/job/', '^taskmanager/(?!job/)'),
    forbid('tm-gateway-leaf', 'The JobManager gateway is an adapter; it knows nothing of tasks.', '^taskmanager/gateway/', '^taskmanager/(?!gateway/)'),
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|proto/generated/)' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types', 'default'] },
  },
};
