export {
  ANALYZE_N_PLUS_ONE_DEFAULTS,
  type AnalyzeNPlusOneOptions,
  analyzeNPlusOne,
  type NPlusOneLogFinding,
  type NPlusOneLogReport,
} from './analyze-n-plus-one.js';
export { createLogReader, type DetectedLogFormat, detectLogFormat } from './detect-log-format.js';
export type { LogFormat, LoggedStatement, LogLayout, LogReader } from './log-reader.js';
export { MysqlLogReader } from './mysql-log-reader.js';
export { PostgresCsvLogReader } from './postgres-csv-log-reader.js';
export { PostgresLogReader } from './postgres-log-reader.js';
