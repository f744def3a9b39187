// Names as the PostgreSQL catalog prints them inside definitions, and a rename applied to a definition
// (an index, a constraint, a policy) the way the server would have applied it: whole identifiers only,
// never inside string literals or dollar-quoted bodies.
import { ident } from '../sql-quoting.js';

const BARE = /^[a-z_][a-z0-9_$]*$/;

/** A name as quote_ident prints it (keywords aside): bare when it is lower case, else quoted. */
export function displayName(name: string): string {
  return BARE.test(name) ? name : ident(name);
}

/** `schema.name` as the catalog prints a relation outside the search path, or `name` in `public`. */
export function displayRelation(schema: string, name: string, qualify: boolean): string {
  return qualify || schema !== 'public' ? `${displayName(schema)}.${displayName(name)}` : displayName(name);
}

/** `text` with every identifier token equal to `from` (bare or quoted) replaced by `to`. */
export function renameIdentifier(text: string, from: string, to: string): string {
  if (from === to) return text;
  const replacement = displayName(to);
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "'") {
      let j = i + 1;
      while (j < text.length) {
        if (text[j] === "'" && text[j + 1] === "'") j += 2;
        else if (text[j] === "'") break;
        else j++;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i));
      if (tag) {
        const end = text.indexOf(tag[0], i + tag[0].length);
        const stop = end === -1 ? text.length : end + tag[0].length;
        out += text.slice(i, stop);
        i = stop;
      } else {
        out += c;
        i++;
      }
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length) {
        if (text[j] === '"' && text[j + 1] === '"') j += 2;
        else if (text[j] === '"') break;
        else j++;
      }
      const name = text.slice(i + 1, j).replaceAll('""', '"');
      out += name === from ? replacement : text.slice(i, j + 1);
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i));
      const word = m ? m[0] : c;
      out += word === from ? replacement : word;
      i += word.length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Whether `text` uses the identifier `name` (bare or quoted) outside literals. */
export function usesIdentifier(text: string, name: string): boolean {
  return renameIdentifier(text, name, `${name}\u0000`) !== text;
}
