import stringWidth from 'string-width';
import { formatValue } from './format-value.js';

export interface TableOptions {
  /** Terminal width to fit in; wider cells are cut with an ellipsis. Infinity for no limit. */
  readonly maxWidth: number;
}

interface Column {
  readonly name: string;
  readonly numeric: boolean;
  width: number;
}

const NUMERIC_TYPE =
  /^(int|float|numeric|decimal|double|real|smallint|bigint|serial|money|oid|tinyint|mediumint|year)/i;

function cut(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (stringWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return `${out}…`;
}

function pad(text: string, width: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - stringWidth(text)));
  return right ? fill + text : text + fill;
}

/** One line of text per cell: newlines and tabs shown as in psql's aligned output would break the grid. */
function cellText(value: unknown): string {
  return formatValue(value).replace(/\r?\n/g, '↵').replace(/\t/g, ' ');
}

/**
 * An aligned table in the manner of psql: header, rule, rows; numbers right-aligned; columns shrunk
 * (widest first) so the table fits the terminal.
 */
export function renderTable(
  fields: readonly { name: string; type: string }[],
  rows: readonly Record<string, unknown>[],
  options: TableOptions,
): string {
  const cells = rows.map((row) => fields.map((f) => cellText(row[f.name])));
  const columns: Column[] = fields.map((f, i) => ({
    name: f.name,
    numeric: NUMERIC_TYPE.test(f.type),
    width: cells.reduce((w, r) => Math.max(w, stringWidth(r[i] ?? '')), stringWidth(f.name)),
  }));
  const separators = 3 * Math.max(0, columns.length - 1) + 2;
  let total = columns.reduce((sum, c) => sum + c.width, 0) + separators;
  while (total > options.maxWidth) {
    const widest = columns.reduce((a, b) => (b.width > a.width ? b : a), columns[0] as Column);
    if (widest.width <= 3) break;
    widest.width -= 1;
    total -= 1;
  }
  const line = (values: readonly string[], header: boolean) =>
    ` ${values.map((v, i) => pad(cut(v, (columns[i] as Column).width), (columns[i] as Column).width, !header && (columns[i] as Column).numeric)).join(' | ')} `.trimEnd();
  const out = [
    line(
      columns.map((c) => c.name),
      true,
    ),
    `-${columns.map((c) => '-'.repeat(c.width)).join('-+-')}-`,
  ];
  for (const r of cells) out.push(line(r, false));
  return out.join('\n');
}

function markdownCell(value: unknown): string {
  return formatValue(value).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A GitHub-flavoured Markdown table. */
export function renderMarkdown(
  fields: readonly { name: string; type: string }[],
  rows: readonly Record<string, unknown>[],
): string {
  const head = `| ${fields.map((f) => markdownCell(f.name)).join(' | ')} |`;
  const rule = `| ${fields.map((f) => (NUMERIC_TYPE.test(f.type) ? '---:' : '---')).join(' | ')} |`;
  const body = rows.map((row) => `| ${fields.map((f) => markdownCell(row[f.name])).join(' | ')} |`);
  return [head, rule].concat(body).join('\n');
}

/**
 * psql's expanded display (`\x`): one block per row, a `-[ RECORD n ]-` rule, then `column | value`
 * lines, so that wide rows read top to bottom instead of being cut.
 */
export function renderExpanded(
  fields: readonly { name: string }[],
  rows: readonly Record<string, unknown>[],
  options: TableOptions,
): string {
  const nameWidth = Math.max(0, ...fields.map((f) => stringWidth(f.name)));
  const valueWidth = Number.isFinite(options.maxWidth)
    ? Math.max(10, options.maxWidth - nameWidth - 3)
    : Number.POSITIVE_INFINITY;
  const ruleWidth = Number.isFinite(options.maxWidth)
    ? Math.min(options.maxWidth, nameWidth + 3 + 40)
    : nameWidth + 3 + 40;
  return rows
    .map((row, i) => {
      const title = `-[ RECORD ${i + 1} ]`;
      const rule = title + '-'.repeat(Math.max(1, ruleWidth - title.length));
      const lines = fields.map((f) =>
        `${pad(f.name, nameWidth, false)} | ${cut(cellText(row[f.name]), valueWidth)}`.trimEnd(),
      );
      return [rule, ...lines].join('\n');
    })
    .join('\n');
}

/** The table's width as `renderTable` would draw it without shrinking (for `\x auto`). */
export function naturalTableWidth(
  fields: readonly { name: string }[],
  rows: readonly Record<string, unknown>[],
): number {
  const widths = fields.map((f) =>
    // A loop, not Math.max(...rows): a spread of 100,000 values overflows the stack.
    rows.reduce((w, r) => Math.max(w, stringWidth(cellText(r[f.name]))), stringWidth(f.name)),
  );
  return widths.reduce((a, b) => a + b, 0) + 3 * Math.max(0, widths.length - 1) + 2;
}
