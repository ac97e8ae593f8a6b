/**
 * Checkpoint settings as a submission carries them over the wire: zero means the default for
 * every setting but `tolerableFailures`, where 0 (the first failed checkpoint fails the job) is
 * a setting of its own, told apart from an absent value.
 */
import { describe, expect, it } from 'vitest';
import { resolveCheckpointConfig, type CheckpointOptions } from '../../../jobmanager/checkpoint/checkpoint-config.ts';
import { controlProto } from '../../../common/rpc/proto.ts';
import type { JobSettings, JobSettings__Output } from '../../../proto/generated/sluice/control/JobSettings.ts';

/** The settings after the protobuf round trip a SubmitJob request makes. */
function overTheWire(settings: JobSettings): JobSettings__Output {
  const type = controlProto.sluice.control.JobSettings as unknown as { serialize(v: JobSettings): Buffer; deserialize(b: Buffer): JobSettings__Output };
  return type.deserialize(type.serialize(settings));
}

function resolve(settings: JobSettings): number {
  const s = overTheWire(settings);
  const options: CheckpointOptions = { intervalMs: s.checkpointIntervalMs, tolerableFailures: s.tolerableFailures };
  return resolveCheckpointConfig(options, 'job', '/tmp/checkpoints', undefined).tolerableFailures;
}

describe('checkpoint settings', () => {
  it('keeps tolerableFailures 0 apart from an absent value across the wire', () => {
    expect(resolve({ checkpointIntervalMs: 500 })).toBe(3);
    expect(resolve({ checkpointIntervalMs: 500, tolerableFailures: 0 })).toBe(0);
    expect(resolve({ checkpointIntervalMs: 500, tolerableFailures: 7 })).toBe(7);
  });

  it('reads zero as the default for the other settings', () => {
    const config = resolveCheckpointConfig({ intervalMs: 0, timeoutMs: 0, minPauseMs: 0, retained: 0, fullEvery: 0 }, 'job', '/tmp/checkpoints', undefined);
    expect(config).toMatchObject({ intervalMs: 0, timeoutMs: 60_000, minPauseMs: 0, tolerableFailures: 3, retained: 3, fullEvery: 10 });
  });
});
