export { CircularBuffer } from './circular-buffer.js';
export type { DetectedLogFormat } from './detect-log-format.js';
export { createLogReader, detectLogFormat } from './detect-log-format.js';
export type { MetricsErrorCode } from './errors.js';
export { MetricsError } from './errors.js';
export type {
  FingerprintSummary,
  FingerprintWindowsOptions,
  QuerySample,
  WindowSpec,
  WindowSummary,
} from './fingerprint-windows.js';
export {
  BUCKETS,
  bytesPerFingerprint,
  DEFAULT_WINDOWS,
  FINGERPRINT_WINDOWS_DEFAULTS,
  FingerprintWindows,
  memoryCeilingBytes,
} from './fingerprint-windows.js';
export type { LatencyRecorderOptions, LatencySummary } from './latency-recorder.js';
export { LATENCY_RECORDER_DEFAULTS, LatencyRecorder } from './latency-recorder.js';
export type { LogFormat, LoggedStatement, LogLayout, LogReader } from './log-reader.js';
export { MysqlLogReader } from './mysql-log-reader.js';
export type { NPlusOneDetectorOptions, NPlusOneFinding, QueryEvent } from './n-plus-one-detector.js';
export { N_PLUS_ONE_DEFAULTS, NPlusOneDetector } from './n-plus-one-detector.js';
export { PostgresCsvLogReader } from './postgres-csv-log-reader.js';
export { PostgresLogReader } from './postgres-log-reader.js';
export type { QueryMetricsOptions, QueryObservation, QueryOutcome } from './query-metrics.js';
export { createMetricsRegistry, QUERY_METRICS_DEFAULTS, QueryMetrics } from './query-metrics.js';
