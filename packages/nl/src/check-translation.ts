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
  let analysis: Awaited<ReturnType<typeof analyze>>;
  try {
    analysis = await analyze(translation.sql, dialect, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    if (options.signal?.aborted) throw new NlAbortedError(error);
    throw new NlUnsafeOutputError(translation.sql, ['it does not parse'], error);
  }
  const reasons: string[] = [];
  if (analysis.statements.length !== 1) reasons.push(`${analysis.statements.length} statements`);
  for (const s of analysis.statements) {
    if (s.kind !== 'select') reasons.push(`kind ${s.kind}`);
    if (!s.readOnly) reasons.push(...(s.reasons.length > 0 ? s.reasons : ['not read-only']));
    const named = new Set(translation.tables.map((t) => t.toLowerCase()));
    for (const t of s.tablesRead) {
      const bare = t
        .split('.')
        .pop()!
        .replace(/^["`]|["`]$/g, '')
        .toLowerCase();
      if (!named.has(bare)) reasons.push(`reads ${t}, which the translation does not name`);
    }
  }
  if (reasons.length > 0) throw new NlUnsafeOutputError(translation.sql, reasons);
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
