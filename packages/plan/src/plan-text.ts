// Plans pasted from where people find them: psql's aligned and wrapped output (header, dashes, "+" and
// "↵" newline marks, "." and "…" wrap marks, "(N rows)", borders), auto_explain entries in a server log
// (a log line prefix, continuation lines indented by a tab), the mysql client's \G rows and pgAdmin's
// quoted lines. Each cleaned line keeps the number of the line it started on, for error messages.

/** One logical line of a plan and the 1-based line of the input it starts on. */
export interface PlanLine {
  text: string;
  line: number;
}

const LOG_PLAN = /(?:^|\s)duration: \d+(?:\.\d+)? ms\s+plan:\s*$/;
const PSQL_HEADER = /^[\s|│║]*QUERY PLAN[\s|│║]*$/;
const PSQL_RULE = /^[\s|│║┌┐├┤╞╡╟╢╔╗╠╣+]*[-─═]{3,}[-─═+┼╪╫╬┬┴┐┤┘╡╢╣╗╝\s]*$/;
const PSQL_FOOTER = /^\(\d+ [^)]*\)$/;
const BORDER_LINE = /^[+┌└╔╚├╟╠╞][-─═+┬┴┼╤╧╪]+[+┐┘╗╝┤╢╣╡]$/;
const MYSQL_ROW = /^\*{5,} \d+\. row \*{5,}$/;

function numbered(input: string): PlanLine[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const parts = text.includes('\r') ? text.split(/\r?\n/) : text.split('\n');
  const out: PlanLine[] = new Array(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = { text: parts[i] ?? '', line: i + 1 };
  return out;
}

/** The lines of an auto_explain entry, without the log prefix and the tab of its continuation lines. */
function fromServerLog(lines: PlanLine[]): PlanLine[] | null {
  const at = lines.findIndex((l) => l.text.includes('plan:') && LOG_PLAN.test(l.text));
  if (at < 0) return null;
  const rest = lines.slice(at + 1);
  if (!rest[0]?.text.startsWith('\t')) return rest;
  const out: PlanLine[] = [];
  for (const l of rest) {
    if (!l.text.startsWith('\t')) break;
    out.push({ text: l.text.slice(1), line: l.line });
  }
  return out;
}

/** psql's frame removed, marks undone; null when the lines are not psql output. */
function fromPsql(lines: PlanLine[]): PlanLine[] | null {
  const at = lines.findIndex(
    (l, i) =>
      l.text.includes('QUERY PLAN') && PSQL_HEADER.test(l.text) && PSQL_RULE.test(lines[i + 1]?.text ?? ''),
  );
  if (at < 0) return null;
  const rule = lines[at + 1]?.text ?? '';
  const bordered = /^[|│║]/.test(lines[at]?.text ?? '');
  let width = rule.length;
  const body: string[] = [];
  const numbers: number[] = [];
  for (const l of lines.slice(at + 2)) {
    let text = l.text;
    if (PSQL_FOOTER.test(text.trim()) || (bordered && BORDER_LINE.test(text.trim()))) break;
    if (bordered) {
      text = text.replace(/^[|│║]/, '').replace(/[|│║]$/, '');
      width = rule.length - 2;
    }
    body.push(text);
    numbers.push(l.line);
  }
  const out: PlanLine[] = [];
  for (let i = 0; i < body.length; i++) {
    const line = numbers[i] ?? 0;
    let raw = body[i] ?? '';
    // Column 0 is the border's space, or the wrap mark of a continued line.
    let text = raw.slice(1);
    while (raw.length >= width && /[.…]$/.test(raw) && body[i + 1]?.[0] === raw.at(-1)) {
      i++;
      raw = body[i] ?? '';
      text = text.slice(0, -1) + raw.slice(1);
    }
    if (raw.length >= width && /[+↵]$/.test(raw)) text = text.slice(0, -1);
    out.push({ text: text.trimEnd(), line });
  }
  return out;
}

/** The input as logical plan lines: frames, marks, log prefixes and quotes removed. */
export function planLines(input: string): PlanLine[] {
  let lines = numbered(input);
  lines = fromServerLog(lines) ?? lines;
  lines = fromPsql(lines) ?? lines;
  if (lines.some((l) => l.text.startsWith('****')))
    lines = lines.filter((l) => !MYSQL_ROW.test(l.text.trim()));
  const first = lines.find((l) => l.text.trim() !== '');
  if (first) first.text = first.text.replace(/^\s*(?:EXPLAIN|ANALYZE): /, '');
  const content = lines.filter((l) => l.text.trim() !== '');
  // pgAdmin copies each line in double quotes.
  if (content.length > 0 && content.every((l) => /^\s*".*"\s*$/.test(l.text))) {
    for (const l of content) l.text = l.text.trim().slice(1, -1).replaceAll('""', '"');
  }
  // psql's "+" newline marks without psql's header around them.
  const json = /^\s*[[{]/.test(first?.text ?? '');
  const marked = json ? content.slice(0, -1).filter((l) => /\S\s*\+$/.test(l.text)).length : 0;
  if (json && content.length > 2 && marked >= (content.length - 1) * 0.8) {
    for (const l of content) l.text = l.text.replace(/\s*\+$/, '');
  }
  return lines;
}
