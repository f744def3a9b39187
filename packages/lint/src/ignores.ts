// Ignore comments: `-- aishell-ignore <rule>[, <rule>]: <reason>` right before a statement (or on the
// line before the offending part of one) disables those rules there; `-- aishell-ignore-file ...` for the
// whole file. squawk's `-- squawk-ignore <rule>` and `-- squawk-ignore-file` are read the same way, with
// the reason after `:` or ` -- `. A comment without a reason still ignores, and is itself a finding.
import { commentBody, comments } from './lexer.js';
import type { LineIndex } from './positions.js';
import type { LintDialect } from './types.js';

/** A finding before it gets its file, line, column and the rule's level, why and fix. */
export interface RawFinding {
  readonly rule: string;
  /** Character offset in the file. */
  readonly offset: number;
  readonly message: string;
  readonly fix?: string;
}

interface Directive {
  readonly offset: number;
  readonly rules: readonly string[];
  readonly all: boolean;
  readonly reason: string;
  readonly scope:
    | { kind: 'file' }
    | { kind: 'statement'; index: number }
    | { kind: 'line'; line: number }
    | { kind: 'none' };
  used: boolean;
}

const DIRECTIVE = /^\s*(aishell|squawk)-ignore(-file)?(?=[\s:,]|$)([\s\S]*)$/i;

/** Statement spans as character offsets, in order. */
export type Spans = readonly { readonly start: number; readonly end: number }[];

/** The index of the statement whose span holds `offset`, or -1. */
export function statementAt(spans: Spans, offset: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid] as { start: number; end: number };
    if (offset < s.start) hi = mid - 1;
    else if (offset > s.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * Applies the ignore comments of one file to its findings: returns the findings kept, followed by
 * `ignore-without-reason` and `unused-ignore` findings about the comments themselves.
 * `canonical` maps a rule name (or alias) to the rule's name, undefined when unknown.
 */
export function applyIgnores(input: {
  readonly text: string;
  readonly dialect: LintDialect;
  readonly region: { readonly start: number; readonly end: number };
  readonly spans: Spans;
  readonly lines: LineIndex;
  readonly findings: readonly RawFinding[];
  readonly canonical: (name: string) => string | undefined;
  readonly enabled: ReadonlySet<string>;
}): RawFinding[] {
  const { text, spans, lines } = input;
  const directives: Directive[] = [];
  const meta: RawFinding[] = [];
  for (const token of comments(text, input.dialect)) {
    if (token.start < input.region.start || token.start >= input.region.end) continue;
    const match = DIRECTIVE.exec(commentBody(text, token));
    if (match === null) continue;
    const isFile = match[2] !== undefined;
    const rest = match[3] ?? '';
    const colon = rest.indexOf(':');
    const dashes = rest.indexOf('--');
    const cut = colon !== -1 && (dashes === -1 || colon < dashes) ? colon : dashes;
    const namesPart = cut === -1 ? rest : rest.slice(0, cut);
    const reason = cut === -1 ? '' : rest.slice(cut + (cut === colon ? 1 : 2)).trim();
    const rules: string[] = [];
    for (const raw of namesPart.split(/[\s,]+/)) {
      const name = raw.trim().toLowerCase();
      if (name === '') continue;
      const known = input.canonical(name);
      if (known === undefined) {
        meta.push({
          rule: 'unused-ignore',
          offset: token.start,
          message: `The ignore comment names ${name}, which is not a rule of this dialect: it ignores nothing.`,
        });
      } else rules.push(known);
    }
    const all = namesPart.trim() === '';
    let scope: Directive['scope'];
    if (isFile) scope = { kind: 'file' };
    else {
      const inside = statementAt(spans, token.start);
      if (inside !== -1 && token.start > (spans[inside] as { start: number }).start) {
        const here = lines.at(token.start);
        const before = text.slice(token.start - here.column + 1, token.start);
        scope = { kind: 'line', line: before.trim() === '' ? lines.lineOf(token.end) + 1 : here.line };
      } else {
        let next = spans.findIndex((s) => s.start >= token.end);
        if (inside !== -1) next = inside;
        scope = next === -1 ? { kind: 'none' } : { kind: 'statement', index: next };
      }
    }
    if (reason === '') {
      meta.push({
        rule: 'ignore-without-reason',
        offset: token.start,
        message: `The ignore comment gives no reason${rules.length > 0 ? ` for ignoring ${rules.join(', ')}` : ''}.`,
        fix: `-- aishell-ignore${isFile ? '-file' : ''} ${rules.join(', ')}: <why this is safe here>`.replace(
          ' :',
          ':',
        ),
      });
    }
    if (all || rules.length > 0)
      directives.push({ offset: token.start, rules, all, reason, scope, used: false });
  }
  if (directives.length === 0) return [...input.findings, ...meta];

  const kept: RawFinding[] = [];
  for (const finding of input.findings) {
    let ignored = false;
    let index: number | undefined;
    let line: number | undefined;
    for (const d of directives) {
      if (!d.all && !d.rules.includes(finding.rule)) continue;
      let applies = false;
      if (d.scope.kind === 'file') applies = true;
      else if (d.scope.kind === 'statement') {
        index ??= statementAt(spans, finding.offset);
        applies = index === d.scope.index;
      } else if (d.scope.kind === 'line') {
        line ??= lines.lineOf(finding.offset);
        applies = line === d.scope.line;
      }
      if (applies) {
        d.used = true;
        ignored = true;
      }
    }
    if (!ignored) kept.push(finding);
  }
  for (const d of directives) {
    if (d.used) continue;
    // A rule left out of this run (not enabled) cannot show the comment to be stale.
    if (!d.all && !d.rules.every((r) => input.enabled.has(r))) continue;
    meta.push({
      rule: 'unused-ignore',
      offset: d.offset,
      message: `The ignore comment suppresses nothing here${d.all ? '' : ` (${d.rules.join(', ')})`}.`,
    });
  }
  return [...kept, ...meta];
}
