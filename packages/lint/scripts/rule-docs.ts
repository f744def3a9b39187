// Writes docs/lint-rules.md from LINT_RULES: `node_modules/.bin/tsx --conditions=@aishell/source
// packages/lint/scripts/rule-docs.ts` from the repository root. A test fails when the page is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LINT_RULES } from '../src/lint-rules.js';
import type { LintDialect, LintRule } from '../src/types.js';

const INTRO = `# Migration lint rules

\`aishell migrate lint <files|dir>\` reads migration files and reports the statements that lock tables,
rewrite them, fail half-way or break the application that is already deployed:
\`{ findings: [{ rule, level, file, line, column, message, why, fix }] }\` with \`--json\`, exit 0 when clean,
8 with warnings, 9 with errors (PRODUCT.md). The rules live in \`@aishell/lint\` as data (\`LINT_RULES\`); this page
is generated from them (\`packages/lint/scripts/rule-docs.ts\`).

For PostgreSQL the rules are [squawk](https://squawkhq.com/docs/rules)'s, under squawk's names and with
squawk's semantics (squawk's code is not used). For MySQL and MariaDB they are rules of the same kind,
named in the same style, after InnoDB's online DDL: \`ALGORITHM=INSTANT\` changes only metadata, \`INPLACE\`
works beside concurrent writes with \`LOCK=NONE\`, \`COPY\` rebuilds the table while writes wait.

## Levels

As in squawk, every rule reports a **warning**; a statement that cannot be parsed is an **error**
(\`syntax-error\`). \`lintExitCode\` gives 9 when there is an error, 8 when there are only warnings, 0 for none.
Rules marked *opt-in* (squawk's application-compatibility rules, \`require-table-schema\`) run only when
named: \`--rule <name>\` (or \`rules\` in the API) runs exactly the rules named, opt-in ones included; an
unknown name is refused with \`LINT_UNKNOWN_RULE\` and the list of valid names. \`syntax-error\` and
\`ignore-without-reason\` always run.

## Ignoring a rule

A comment right before a statement disables rules for that statement, and must say why:

\`\`\`sql
-- aishell-ignore ban-drop-column, prefer-robust-stmts: nickname is unused since release 42
ALTER TABLE users DROP COLUMN nickname;
\`\`\`

- The reason follows a colon. Without one the rules are still ignored, but the comment is itself a
  finding, \`ignore-without-reason\`.
- \`-- aishell-ignore-file <rule>[, <rule>]: <reason>\` anywhere in a file disables the rules for the whole file.
- squawk's own \`-- squawk-ignore <rule>[, <rule>]\` and \`-- squawk-ignore-file\` are read the same way (the reason
  after \`:\` or after \`--\`, as in \`-- squawk-ignore ban-drop-column -- unused since 42\`); squawk's other spellings of
  rule names (\`prefer-timestamp-tz\`, \`require-lock-timeout\`, \`require-statement-timeout\`) are accepted.
- A comment that names no rule ignores every rule. \`/* ... */\` comments work too, and \`#\` comments in MySQL.
- Inside a statement (a \`CREATE TABLE\` column list), the comment applies to the next line, or to its own line
  when it follows code on it.
- An ignore that names an unknown rule, or suppresses nothing of a rule that ran, is reported as \`unused-ignore\`.

## PostgreSQL version

\`--pg-version N\` (\`pgVersion\`, default 15) is the major version the migrations will run on:

| rule | before | from |
| --- | --- | --- |
| \`adding-field-with-default\` | any non-NULL \`DEFAULT\` rewrites the table (before 11) | 11: only volatile defaults (and stored generated columns) do |
| \`adding-not-nullable-field\` | \`SET NOT NULL\` always scans the table (before 12) | 12: skipped after a validated \`CHECK (column IS NOT NULL)\` |
| \`adding-field-with-default\` | a \`GENERATED\` column without \`VIRTUAL\`/\`STORED\` is stored (before 18) | 18: it is virtual, no rewrite |
| \`require-concurrent-reindex\` | not reported (before 12: no \`CONCURRENTLY\`) | 12 |
| \`require-concurrent-partition-detach\` | not reported (before 14) | 14 |
| \`prefer-repack\` | not reported (before 19: no \`REPACK\`) | 19 |

## Transactions, new tables and unparsable files

- \`--assume-in-transaction\` (\`assumeInTransaction\`) lints each file as if the migration tool wrapped it in one
  transaction: \`BEGIN\`/\`COMMIT\` in the file become \`transaction-nesting\` findings, \`CREATE INDEX CONCURRENTLY\`
  (unless alone in its file) a \`ban-concurrent-index-creation-in-transaction\` finding, and \`prefer-robust-stmts\`
  is satisfied. Left unset, files whose tool wraps them (dbmate unless \`-- migrate:up transaction:false\`, goose
  unless \`-- +goose NO TRANSACTION\`) are linted in a transaction and others are not.
- A table created earlier in the same file is new: no other session uses it yet, so the lock rules (index
  without \`CONCURRENTLY\`, constraints without \`NOT VALID\`, defaults, type changes, \`SET NOT NULL\`...) and the
  rules about breaking its readers (drops, renames) do not report it. squawk counts a table as new only
  inside the transaction that created it; aishell counts any earlier \`CREATE TABLE\` of the file.
- A statement PostgreSQL's parser rejects is a \`syntax-error\` finding (level error) at the line and column
  the parser names; the other statements of the file are still linted. MySQL files are read token by token
  (no grammar), so only an unclosed string, quoted name or comment is a \`syntax-error\` there.
- MySQL migrations are read in order as one run: a column defined by an earlier file is known to the later
  ones (\`changing-column-type\` and \`enum-edit-rebuilds\` compare against it).

## Migration layouts

\`migrationFiles\` (used by the lint) orders files as their tool applies them and lints what migrates up:
dbmate and goose files (the up section only), golang-migrate \`N_name.up.sql\` (\`.down.sql\` left out), Flyway
\`V1.2__name.sql\` by version (\`U\` undo files left out, \`R__\` repeatables after the versioned ones), Prisma
\`migrations/<timestamp>_<name>/migration.sql\`, and names starting with a timestamp or number (Rails-style
\`20240101120000_name.sql\`, \`001_name.sql\`). Other \`.sql\` files are linted last, by name; other files are left out.
`;

const DIALECT_TITLE: Readonly<Record<LintDialect, string>> = {
  postgres: 'PostgreSQL rules',
  mysql: 'MySQL and MariaDB rules',
};

function section(dialect: LintDialect, rules: readonly LintRule[]): string {
  const own = rules.filter((r) => r.dialect === dialect);
  const anchor = (r: LintRule): string => `${dialect}-${r.name}`;
  const lines: string[] = [
    `## ${DIALECT_TITLE[dialect]}`,
    '',
    '| rule | level | on | what it reports |',
    '| --- | --- | --- | --- |',
  ];
  for (const r of own)
    lines.push(
      `| [\`${r.name}\`](#${anchor(r)}) | ${r.level} | ${r.optIn ? 'opt-in' : 'default'} | ${r.summary.replace(/\|/g, '\\|')} |`,
    );
  for (const r of own) {
    const options =
      r.exampleOptions === undefined
        ? ''
        : ` (with ${Object.entries(r.exampleOptions)
            .map(([k, v]) => `${k}: ${String(v)}`)
            .join(', ')})`;
    lines.push(
      '',
      `<a id="${anchor(r)}"></a>`,
      '',
      `### ${r.name}`,
      '',
      `${r.summary} *${r.level}, ${r.optIn ? 'opt-in' : 'on by default'}.*`,
      '',
      `**Why.** ${r.why}`,
      '',
      `**Fix.** ${r.fix}`,
      '',
      `Bad${options}:`,
      '',
      '```sql',
      r.bad,
      '```',
      '',
      'Good:',
      '',
      '```sql',
      r.good,
      '```',
    );
  }
  return lines.join('\n');
}

/** The text of docs/lint-rules.md. */
export function renderRuleDocs(rules: readonly LintRule[] = LINT_RULES): string {
  return `${INTRO}\n${section('postgres', rules)}\n\n${section('mysql', rules)}\n`;
}

/** Where the page lives, from this file. */
export const RULE_DOCS_PATH = fileURLToPath(new URL('../../../docs/lint-rules.md', import.meta.url));

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(RULE_DOCS_PATH, renderRuleDocs());
}
