/** Test job whose graph is invalid: two operators share a uid. */
import { defineJob, fromCollection, PrintSink } from 'sluice';

export default defineJob({
  name: 'invalid-graph',
  build(env) {
    env
      .fromSource(fromCollection([1, 2, 3]), 'numbers')
      .map((n) => n * 2)
      .uid('same')
      .map((n) => n + 1)
      .uid('same')
      .sinkTo(new PrintSink());
  },
});
