/**
 * The first keyword of a statement, upper-cased (`SELECT`, `INSERT`, ...), past leading blanks and
 * comments. mysql2 and better-sqlite3 do not report a command tag as pg does; this gives one.
 * (@aishell/sql classifies statements fully; this tiny scan avoids loading it on every query.)
 */
export function statementVerb(sql: string): string {
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 40 /* ( */ || c === 59 /* ; */) {
      i++;
    } else if (c === 45 /* - */ && sql.charCodeAt(i + 1) === 45) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
    } else if (c === 35 /* # (MySQL) */) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
    } else if (c === 47 /* / */ && sql.charCodeAt(i + 1) === 42) {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else {
      break;
    }
  }
  let j = i;
  while (j < n && /[A-Za-z_]/.test(sql[j] ?? '')) j++;
  return sql.slice(i, j).toUpperCase();
}
