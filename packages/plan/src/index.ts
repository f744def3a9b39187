export { type AnalyzePlanOptions, analyzePlan } from './analyze-plan.js';
export { type ConditionColumns, conditionColumns, indexColumns } from './condition-columns.js';
export { PlanError, type PlanErrorCode, PlanParseError, PlanUnsupportedError } from './errors.js';
export { type ExplainDocument, type ExplainFinding, explainDocument } from './explain-document.js';
export { FINDING_CODES, type LevelThresholds, PLAN_THRESHOLDS, type PlanThresholds } from './findings.js';
export { PLAN_FORMATS, parsePlan } from './parse-plan.js';
export { nodeLabel } from './plan-format.js';
export { RENDER_PLAN_DEFAULTS, type RenderPlanOptions, renderPlan } from './render-plan.js';
export type { SqlitePlanRow } from './sqlite-plan.js';
export {
  type AnalyzedPlan,
  type EstimateDirection,
  type Finding,
  type FindingCode,
  type FindingLevel,
  type ParsedNode,
  type ParsedPlan,
  PLAN_DIALECTS,
  type PlanBuffers,
  type PlanDialect,
  type PlanFormat,
  type PlanNode,
  type PlanNodeFacts,
  type PlanTrigger,
  type PlanValue,
  type Suggestion,
  type SuggestionKind,
} from './types.js';
