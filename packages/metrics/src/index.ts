export { CircularBuffer } from './circular-buffer.js';
export type { MetricsErrorCode } from './errors.js';
export { MetricsError } from './errors.js';
export type { LatencyRecorderOptions, LatencySummary } from './latency-recorder.js';
export { LATENCY_RECORDER_DEFAULTS, LatencyRecorder } from './latency-recorder.js';
export type { NPlusOneDetectorOptions, NPlusOneFinding, QueryEvent } from './n-plus-one-detector.js';
export { N_PLUS_ONE_DEFAULTS, NPlusOneDetector } from './n-plus-one-detector.js';
export type { QueryMetricsOptions, QueryObservation, QueryOutcome } from './query-metrics.js';
export { createMetricsRegistry, QUERY_METRICS_DEFAULTS, QueryMetrics } from './query-metrics.js';
