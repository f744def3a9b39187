// The cue words live in vocabulary.ts with every other word list; this module stays for the
// modules that import it by this name.
export {
  AGGREGATE_CUES,
  ASC_WORDS,
  BARE_RANKING_WORDS,
  COMPARISON_CUES,
  DESC_WORDS,
  DISTINCT_WORDS,
  ENDS_WORDS,
  GROUP_WORDS,
  LIKE_WORDS,
  NAMING_WORDS,
  NEGATION_WORDS,
  ORDER_VERBS,
  PERIOD_ADVERBS,
  PERIOD_NOUNS,
  POLITE_WORDS,
  RANKING_WORDS,
  STARTS_WORDS,
  TRAILING_COMPARISON_CUES,
  VERB_AUXILIARIES,
  WRITE_VERBS,
} from './vocabulary.js';
