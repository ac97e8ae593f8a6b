// Original file: control.proto


export interface InputChannelSpec {
  'producerExecutionId'?: (string);
  'producerAddress'?: (string);
  'producerSubtask'?: (number);
}

export interface InputChannelSpec__Output {
  'producerExecutionId': (string);
  'producerAddress': (string);
  'producerSubtask': (number);
}
