import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CheckpointBarrier as _sluice_checkpoint_CheckpointBarrier, CheckpointBarrier__Output as _sluice_checkpoint_CheckpointBarrier__Output } from './sluice/checkpoint/CheckpointBarrier';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  sluice: {
    checkpoint: {
      CheckpointBarrier: MessageTypeDefinition<_sluice_checkpoint_CheckpointBarrier, _sluice_checkpoint_CheckpointBarrier__Output>
    }
  }
}

