import type { SchemaIndex } from './schema-index.js';
import { type TranslateOptions, type Translation, translate } from './translate.js';

// Follow-up questions for the offline translator, as a layer around it (the planner is untouched): a
// question that starts with one of these cues refines the previous one, so it is read together with
// it. "customers in Paris" then "only the ones with orders" is "customers in Paris with orders".

/** How each cue joins the previous question: the words that stay of it. */
const CUES: readonly { readonly cue: RegExp; readonly joiner: string }[] = [
  { cue: /^only\b/i, joiner: '' },
  { cue: /^and\b/i, joiner: '' },
  // "customers with shipped orders" + "but not delivered ones": the planner reads the "but not".
  { cue: /^but\b/i, joiner: 'but' },
  { cue: /^sort(?:ed)? by\b/i, joiner: 'sorted by' },
  { cue: /^order(?:ed)? by\b/i, joiner: 'sorted by' },
  { cue: /^group(?:ed)? by\b/i, joiner: 'by' },
];

/** Words that point back at the previous question's rows and say nothing of their own. */
const BACK_REFERENCES =
  /^(?:(?:the|those|these) ones|ones|those|these|them|they|the ones that are|that are|which are|who are)\b\s*/i;

/** The cues of {@link followUpQuestion}, as typed. */
export const FOLLOW_UP_CUES: readonly string[] = ['only', 'and', 'but', 'sort by', 'group by'];

/**
 * The question a follow-up stands for: the previous question (itself the result of earlier
 * follow-ups) with the follow-up's words after it, or null when `question` does not start with a
 * cue ("only", "and", "but", "sort by", "group by"). The previous question's tables and filters stay,
 * because its words do.
 * @example followUpQuestion('only the ones in France', 'customers with orders') // 'customers with orders in France'
 */
export function followUpQuestion(question: string, previous: string | undefined): string | null {
  if (!previous?.trim()) return null;
  const text = question.trim().replace(/[?.!]+$/, '');
  for (const { cue, joiner } of CUES) {
    const m = cue.exec(text);
    if (!m) continue;
    const rest = text.slice(m[0].length).trim().replace(BACK_REFERENCES, '').trim();
    if (!rest) return null;
    const before = previous.trim().replace(/[?.!]+$/, '');
    return [before, joiner, rest].filter(Boolean).join(' ');
  }
  return null;
}

/** A translation, and the question it answered when it was read as a follow-up. */
export type FollowUpTranslation = Translation & {
  /** The whole question translated (the previous one with the follow-up), when it was a follow-up. */
  readonly followUpOf?: string;
  readonly understoodAs?: string;
};

/**
 * {@link translate}, reading `question` as a follow-up of `previous` when it starts with a cue (see
 * {@link followUpQuestion}); otherwise the question alone.
 */
export function translateFollowUp(
  question: string,
  previous: string | undefined,
  index: SchemaIndex,
  options: TranslateOptions = {},
): FollowUpTranslation {
  const whole = followUpQuestion(question, previous);
  if (whole === null) return translate(question, index, options);
  return { ...translate(whole, index, options), followUpOf: previous!, understoodAs: whole };
}
