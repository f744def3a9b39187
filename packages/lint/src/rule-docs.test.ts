import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULE_DOCS_PATH, renderRuleDocs } from '../scripts/rule-docs.js';
import { LINT_RULES } from './lint-rules.js';

describe('docs/lint-rules.md', () => {
  it('is the page LINT_RULES generates (run packages/lint/scripts/rule-docs.ts after changing a rule)', () => {
    expect(readFileSync(RULE_DOCS_PATH, 'utf8')).toBe(renderRuleDocs());
  });

  it('shows every rule with its bad and good example', () => {
    const page = renderRuleDocs();
    for (const r of LINT_RULES) {
      expect(page).toContain(`<a id="${r.dialect}-${r.name}"></a>`);
      expect(page).toContain(r.bad);
      expect(page).toContain(r.good);
    }
  });
});
