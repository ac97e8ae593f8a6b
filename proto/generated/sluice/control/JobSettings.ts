// Original file: control.proto


export interface JobSettings {
  'checkpointIntervalMs'?: (number);
  'checkpointTimeoutMs'?: (number);
  'minPauseMs'?: (number);
  'tolerableFailures'?: (number);
  'retained'?: (number);
  'fullEvery'?: (number);
  'restartStrategy'?: (string);
  '_tolerableFailures'?: "tolerableFailures";
}

export interface JobSettings__Output {
  'checkpointIntervalMs': (number);
  'checkpointTimeoutMs': (number);
  'minPauseMs': (number);
  'tolerableFailures'?: (number);
  'retained': (number);
  'fullEvery': (number);
  'restartStrategy': (string);
  '_tolerableFailures'?: "tolerableFailures";
}
