// Original file: control.proto

import type { InputGateSpec as _sluice_control_InputGateSpec, InputGateSpec__Output as _sluice_control_InputGateSpec__Output } from '../../sluice/control/InputGateSpec';
import type { OutputSpec as _sluice_control_OutputSpec, OutputSpec__Output as _sluice_control_OutputSpec__Output } from '../../sluice/control/OutputSpec';
import type { TaskRestore as _sluice_checkpoint_TaskRestore, TaskRestore__Output as _sluice_checkpoint_TaskRestore__Output } from '../../sluice/checkpoint/TaskRestore';

export interface TaskDeployment {
  'jobId'?: (string);
  'executionId'?: (string);
  'vertexId'?: (string);
  'subtask'?: (number);
  'attempt'?: (number);
  'parallelism'?: (number);
  'maxParallelism'?: (number);
  'inputs'?: (_sluice_control_InputGateSpec)[];
  'outputs'?: (_sluice_control_OutputSpec)[];
  'slotIndex'?: (number);
  'checkpointing'?: (boolean);
  'checkpointRoot'?: (string);
  'restore'?: (_sluice_checkpoint_TaskRestore | null);
  'savepointRoots'?: (string)[];
}

export interface TaskDeployment__Output {
  'jobId': (string);
  'executionId': (string);
  'vertexId': (string);
  'subtask': (number);
  'attempt': (number);
  'parallelism': (number);
  'maxParallelism': (number);
  'inputs': (_sluice_control_InputGateSpec__Output)[];
  'outputs': (_sluice_control_OutputSpec__Output)[];
  'slotIndex': (number);
  'checkpointing': (boolean);
  'checkpointRoot': (string);
  'restore': (_sluice_checkpoint_TaskRestore__Output | null);
  'savepointRoots': (string)[];
}
