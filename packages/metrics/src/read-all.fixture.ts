import type { LoggedStatement, LogReader } from './log-reader.js';

/** Every statement `reader` finds in `text`, fed line by line as @aishell/engine's analyzeNPlusOne feeds a file (tests only). */
export function readAll(reader: LogReader, text: string): LoggedStatement[] {
  const out: LoggedStatement[] = [];
  for (const line of text.split('\n')) {
    const s = reader.push(line);
    if (s) out.push(s);
  }
  const last = reader.end();
  if (last) out.push(last);
  return out;
}
