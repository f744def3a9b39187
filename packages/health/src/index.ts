// @aishell/health: database health checks as data (catalog SQL per dialect, thresholds, verdicts and
// fixes). It takes a function that runs a query; it imports no driver and prints nothing.
export { checkHealth } from './check-health.js';
export { HealthError, type HealthErrorCode } from './errors.js';
export { healthChecks } from './health-checks.js';
export { healthExitCode, worstStatus } from './health-exit-code.js';
export {
  HEALTH_DEFAULTS,
  HEALTH_DIALECTS,
  type HealthCheckInfo,
  type HealthCheckResult,
  type HealthDialect,
  type HealthObject,
  type HealthOptions,
  type HealthReport,
  type HealthRun,
  type HealthServer,
  type HealthStatus,
  type HealthThresholdInfo,
  type HealthUnit,
  type HealthValue,
} from './types.js';
