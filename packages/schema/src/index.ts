// @aishell/schema: the schema model and its introspection per dialect, the differ and migration planner
// with hazards, the apply-check (trial run) and a schema-script loader. It takes a function that runs a
// query; it imports no driver and prints nothing.
export {
  type ApplyCheckOptions,
  type ApplyCheckResidue,
  type ApplyCheckResult,
  applyCheck,
} from './apply-check.js';
export { diffSchemas } from './diff-schemas.js';
export { SchemaError, type SchemaErrorCode, type SchemaScriptStatement } from './errors.js';
export { INTROSPECT_DEFAULTS, type IntrospectOptions, type SchemaRun } from './introspect-options.js';
export { introspectSchema } from './introspect-schema.js';
export { type LoadSchemaScriptOptions, loadSchemaScript } from './load-schema-script.js';
export { dataLoss, type PlanStep, planSteps, renderPlan } from './plan-steps.js';
export {
  type MysqlCheck,
  type MysqlColumn,
  type MysqlForeignKey,
  type MysqlIndex,
  type MysqlIndexPart,
  type MysqlRoutine,
  type MysqlSchemaModel,
  type MysqlTable,
  type MysqlTrigger,
  type MysqlView,
  type PgColumn,
  type PgCompositeType,
  type PgConstraint,
  type PgConstraintType,
  type PgDomain,
  type PgDomainConstraint,
  type PgEnum,
  type PgExtension,
  type PgFunction,
  type PgGrant,
  type PgIdentity,
  type PgIndex,
  type PgPolicy,
  type PgSchema,
  type PgSequence,
  type PgTable,
  type PgTrigger,
  type PgView,
  type PostgresSchemaModel,
  SCHEMA_DIALECTS,
  type SchemaDialect,
  type SchemaModel,
  type SqliteColumn,
  type SqliteObject,
  type SqliteSchemaModel,
  type SqliteTable,
  type UnmodelledObject,
} from './schema-model.js';
export {
  DIFF_DEFAULTS,
  type DiffOptions,
  HAZARD_CODES,
  type Hazard,
  type HazardCode,
  type PlanStatement,
  type SchemaPlan,
  type UnsupportedDifference,
} from './schema-plan.js';
