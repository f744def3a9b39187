export { AnthropicProvider } from './anthropic-provider.js';
export { type CheckedLlmSql, checkLlmSql, type FailedLlmSql } from './check-llm-sql.js';
export { type CheckTranslationOptions, checkTranslation, translateChecked } from './check-translation.js';
export { createLlmProvider } from './create-llm-provider.js';
export {
  type LlmProviderName,
  NlAbortedError,
  NlError,
  type NlErrorCode,
  NlMissingApiKeyError,
  NlNoTranslationError,
  NlProbeError,
  NlProviderError,
  type NlProviderErrorCode,
  NlUnsafeOutputError,
} from './errors.js';
export { explainPlan } from './explain-plan.js';
export {
  FOLLOW_UP_CUES,
  type FollowUpTranslation,
  followUpQuestion,
  translateFollowUp,
} from './follow-up.js';
export {
  type LinkResult,
  type LinkSchemaOptions,
  linkSchema,
} from './link-schema.js';
export {
  type BuildLlmContextOptions,
  buildLlmContext,
  describeTable,
  estimateTokens,
  LLM_CONTEXT_DEFAULTS,
  LLM_CONTEXT_LEVELS,
  type LlmContext,
  type LlmContextLevel,
} from './llm-context.js';
export {
  type BuildLlmPromptOptions,
  type BuiltLlmPrompt,
  buildLlmPrompt,
  LLM_ANSWER_SCHEMA,
  LLM_PROMPT_DEFAULTS,
  type LlmTurn,
} from './llm-prompt.js';
export {
  LLM_PROVIDER_DEFAULTS,
  type LlmMessage,
  type LlmPrompt,
  type LlmProvider,
  type LlmProviderOptions,
} from './llm-provider.js';
export {
  type NlColumn,
  type NlDialect,
  type NlForeignKey,
  type NlSchema,
  type NlTable,
  type Probe,
  sqlDialectOf,
} from './nl-schema.js';
export { OpenAiProvider } from './openai-provider.js';
export type {
  AggregateFn,
  ColumnRef,
  CompareOp,
  Condition,
  Expr,
  JoinStep,
  OrderItem,
  QueryPlan,
  SelectItem,
} from './query-plan.js';
export { type RenderedSql, renderSql } from './render-sql.js';
export {
  type BuildSchemaIndexOptions,
  buildSchemaIndex,
  type ColumnCategory,
  type IndexedColumn,
  type IndexedForeignKey,
  type IndexedTable,
  type SchemaIndex,
} from './schema-index.js';
export { TRANSLATE_DEFAULTS, type TranslateOptions, type Translation, translate } from './translate.js';
export {
  type LlmRepair,
  type LlmTranslation,
  NlRepairFailedError,
  TRANSLATE_WITH_LLM_DEFAULTS,
  type TranslateWithLlmOptions,
  translateWithLlm,
} from './translate-with-llm.js';
export {
  type BuildValueIndexOptions,
  buildValueIndex,
  VALUE_INDEX_DEFAULTS,
  type ValueIndex,
  type ValueOccurrence,
} from './value-index.js';
