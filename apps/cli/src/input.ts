import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { UsageError } from '@aishell/engine';

/** The SQL (or question) text of a command: the argument, `-` for stdin, or `--file <path>` (`-` is stdin too). */
export async function readInput(
  arg: string | undefined,
  file: string | undefined,
  what = 'SQL',
): Promise<string> {
  if (arg !== undefined && file !== undefined)
    throw new UsageError(`give the ${what} as an argument or with --file, not both`);
  if (file === '-' || arg === '-') return text(process.stdin);
  if (file !== undefined) {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  }
  if (arg === undefined || arg.trim() === '')
    throw new UsageError(`no ${what} given`, {
      hint: `pass it as an argument, with --file <path>, or - for stdin`,
    });
  return arg;
}
