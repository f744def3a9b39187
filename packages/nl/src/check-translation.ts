import { analyze } from '@aishell/sql';
import { NlAbortedError, NlUnsafeOutputError } from './errors.js';
import { type NlDialect, sqlDialectOf } from './nl-schema.js';
import type { SchemaIndex } from './schema-index.js';
import { type TranslateOptions, type Translation, translate } from './translate.js';

/** Options of {@link checkTranslation}. */
export interface CheckTranslationOptions {
  readonly signal?: AbortSignal;
}

/**
 * Checks with @aishell/sql that a translation is exactly one read-only SELECT reading only the
 * tables it names. Throws {@link NlUnsafeOutputError} (NL_UNSAFE_OUTPUT) otherwise.
 */
export async function checkTranslation(
  translation: Translation,
  dialect: NlDialect,
  options: CheckTranslationOptions = {},
): Promise<void> {
  const found = await selectProblems(translation.sql, dialect, translation.tables, options);
  if (found === null) throw new NlUnsafeOutputError(translation.sql, ['it does not parse']);
  if (found.reasons.length > 0) throw new NlUnsafeOutputError(translation.sql, found.reasons);
}

/**
 * Why `sql` is not exactly one read-only SELECT reading only `tables` (bare names, any case): no
 * reasons when it is, null when it does not parse. Also the tables it reads (bare names). Shared by the offline translator and the LLM
 * providers, so both are held to the same rule.
 */
export async function selectProblems(
  sql: string,
  dialect: NlDialect,
  tables: readonly string[],
  options: CheckTranslationOptions = {},
): Promise<{ reasons: string[]; tablesRead: string[] } | null> {
  let analysis: Awaited<ReturnType<typeof analyze>>;
  try {
    analysis = await analyze(sql, dialect, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    if (options.signal?.aborted) throw new NlAbortedError(error);
    return null;
  }
  const reasons: string[] = [];
  if (analysis.statements.length !== 1) reasons.push(`${analysis.statements.length} statements`);
  const named = new Set(tables.map((t) => t.toLowerCase()));
  const tablesRead = new Set<string>();
  for (const s of analysis.statements) {
    if (s.kind !== 'select') reasons.push(`kind ${s.kind}`);
    if (!s.readOnly) reasons.push(...(s.reasons.length > 0 ? s.reasons : ['not read-only']));
    for (const t of s.tablesRead) {
      const bare = t
        .split('.')
        .pop()!
        .replace(/^["`]|["`]$/g, '');
      tablesRead.add(bare);
      if (!named.has(bare.toLowerCase()))
        reasons.push(`reads ${t}, which is not among the tables it may read`);
    }
  }
  return { reasons, tablesRead: [...tablesRead] };
}

/** {@link translate}, then {@link checkTranslation}: what the engine runs before executing anything. */
export async function translateChecked(
  question: string,
  index: SchemaIndex,
  options: TranslateOptions & CheckTranslationOptions = {},
): Promise<Translation> {
  const translation = translate(question, index, options);
  await checkTranslation(translation, options.dialect ?? sqlDialectOf(index.dialect), options);
  return translation;
}
