// Original file: data.proto


export interface ConsumerMessage {
  'jobId'?: (string);
  'producerExecutionId'?: (string);
  'subpartition'?: (number);
  'credit'?: (number);
  'edgeId'?: (string);
}

export interface ConsumerMessage__Output {
  'jobId': (string);
  'producerExecutionId': (string);
  'subpartition': (number);
  'credit': (number);
  'edgeId': (string);
}
