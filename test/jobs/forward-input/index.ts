/**
 * Test job: the input `in`, whatever its URI, written unchanged into the sink `out`; at
 * parallelism 1 source and sink are one task.
 */
import { defineJob } from 'sluice';

export default defineJob({
  name: 'forward-input',
  build(env, args) {
    env.fromSource(args.source('in'), 'in').sinkTo(args.sink('out')).name('out');
  },
});
