/**
 * The record checks of the example jobs: a malformed record's message says what the field held,
 * `null` included, and only a missing field is "nothing".
 */
import { describe, expect, it } from 'vitest';
import { JobArgs, type InputOptions } from '../../../client/api/job-definition.ts';
import { StreamExecutionEnvironment } from '../../../client/api/environment.ts';
import type { Source } from '../../../common/connector/source.ts';
import keyRouting from '../../../jobs/examples/key-routing/index.ts';
import windowCount from '../../../jobs/examples/window-count/index.ts';
import wordCount from '../../../jobs/examples/word-count/index.ts';

type Validator = NonNullable<InputOptions['validate']>;

/** Job arguments that remember the validator each input was opened with. */
class CapturingArgs extends JobArgs {
  readonly validators = new Map<string, Validator>();

  override source<T = Record<string, unknown>>(name: string, options: InputOptions = {}): Source<T> {
    if (options.validate) this.validators.set(name, options.validate);
    return super.source<T>(name, options);
  }
}

/** Builds a job and returns the validator of its `in` input. */
function validatorOf(job: { build(env: StreamExecutionEnvironment, args: JobArgs): void }): Validator {
  const args = new CapturingArgs({ in: 'file:in.jsonl', out: 'print:' });
  job.build(new StreamExecutionEnvironment(), args);
  const validate = args.validators.get('in');
  if (!validate) throw new Error('the job opened "in" without a validator');
  return validate;
}

describe('example job validators', () => {
  it('word-count reports a null text as null, a missing one as nothing', () => {
    const validate = validatorOf(wordCount);
    expect(validate({ text: null })).toBe('text must be a string, got null');
    expect(validate({})).toBe('text must be a string, got nothing');
    expect(validate({ text: 3 })).toBe('text must be a string, got 3');
    expect(validate({ text: 'a b' })).toBeUndefined();
  });

  it('window-count reports a null ts or key as null, a missing one as nothing', () => {
    const validate = validatorOf(windowCount);
    expect(validate({ ts: null, key: 'a' })).toBe('ts must be an integer, got null');
    expect(validate({ key: 'a' })).toBe('ts must be an integer, got nothing');
    expect(validate({ ts: 1, key: null })).toBe('key must be a string or a safe integer, got null');
    expect(validate({ ts: 1 })).toBe('key must be a string or a safe integer, got nothing');
    expect(validate({ ts: 1, key: 'a' })).toBeUndefined();
  });

  it('key-routing reports a null key as null, a missing one as nothing', () => {
    const validate = validatorOf(keyRouting);
    expect(validate({ key: null })).toBe('key must be a string or a safe integer, got null');
    expect(validate({})).toBe('key must be a string or a safe integer, got nothing');
    expect(validate({ key: 1.5 })).toBe('key must be a string or a safe integer, got 1.5');
  });
});
