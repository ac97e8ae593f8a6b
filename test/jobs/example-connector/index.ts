/**
 * Test job of the README's "Writing a connector": the example sequence source (`count` numbers in
 * `splits` ranges, at `rate` per subtask when given) written straight into the example staged-directory sink at `dir`.
 */
import { defineJob } from 'sluice';
import { SequenceSource } from '../../../connectors/examples/sequence-source.ts';
import { StagedDirectorySink } from '../../../connectors/examples/staged-directory-sink.ts';

export default defineJob({
  name: 'example-connector',
  build(env, args) {
    const source = new SequenceSource(Number(args.get('count')), Number(args.get('splits')), args.has('rate') ? Number(args.get('rate')) : undefined);
    env.fromSource(source, 'sequence').sinkTo(new StagedDirectorySink(String(args.get('dir')))).name('staged');
  },
});
