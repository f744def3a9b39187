import type {
  AnalyzedPlan,
  FindingCode,
  FindingLevel,
  PlanDialect,
  PlanFormat,
  PlanNode,
  PlanTrigger,
  Suggestion,
} from './types.js';

/** A finding as `aishell explain --json` prints it. */
export interface ExplainFinding {
  code: FindingCode;
  node: string;
  level: FindingLevel;
  message: string;
  value: number;
}

/** The JSON of `aishell explain --json` (PRODUCT.md): `{ dialect, plan, findings, summary, ... }`. */
export interface ExplainDocument {
  dialect: PlanDialect;
  format: PlanFormat;
  analyzed: boolean;
  timed: boolean;
  planningMs: number | null;
  executionMs: number | null;
  totalMs: number | null;
  totalCost: number | null;
  nodeCount: number;
  queryText: string | null;
  triggers: PlanTrigger[];
  /** The root node; every node has the same keys, `children` last. */
  plan: PlanNode;
  findings: ExplainFinding[];
  suggestions: Suggestion[];
  summary: string;
}

// Key order of a node in the document: what people read first, first.
const FIRST = [
  'id',
  'nodeType',
  'relation',
  'index',
  'startupCost',
  'totalCost',
  'estimatedRows',
  'actualRows',
  'loops',
  'exclusiveMs',
  'inclusiveMs',
  'timeShare',
  'exclusiveCost',
  'costShare',
  'estimateFactor',
  'estimateDirection',
  'actualStartupMs',
  'actualTotalMs',
  'buffers',
] as const;
const FIRST_SET = new Set<string>(FIRST);

function documentNode(node: PlanNode): PlanNode {
  const out: Record<string, unknown> = {};
  for (const key of FIRST) out[key] = node[key];
  for (const [key, value] of Object.entries(node))
    if (!FIRST_SET.has(key) && key !== 'children' && key !== 'properties') out[key] = value;
  out.properties = node.properties;
  out.children = node.children.map(documentNode);
  return out as unknown as PlanNode;
}

/**
 * The document of `aishell explain --json`: plain data, ready for JSON.stringify.
 *
 * @example JSON.stringify(explainDocument(analyzePlan(parsePlan(rows))))
 */
export function explainDocument(plan: AnalyzedPlan): ExplainDocument {
  return {
    dialect: plan.dialect,
    format: plan.format,
    analyzed: plan.analyzed,
    timed: plan.timed,
    planningMs: plan.planningMs,
    executionMs: plan.executionMs,
    totalMs: plan.totalMs,
    totalCost: plan.totalCost,
    nodeCount: plan.nodeCount,
    queryText: plan.queryText,
    triggers: plan.triggers,
    plan: documentNode(plan.root),
    findings: plan.findings.map(({ code, node, level, message, value }) => ({
      code,
      node,
      level,
      message,
      value,
    })),
    suggestions: plan.suggestions,
    summary: plan.summary,
  };
}
