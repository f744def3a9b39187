import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { UsageError } from '@aishell/engine';

/** A file system error in the words other commands use ("no such file"), without the errno code. */
export function describeFileError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return (error as Error).message;
  }
}

/** The text of a file the person named, or a UsageError "cannot read <file>: <why>". */
export async function readTextFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${describeFileError(error)}`, { cause: error });
  }
}

/**
 * The SQL (or question) text of a command: the argument, `--file <path>`, or stdin. Stdin is read only
 * when asked for (`-` as the argument or the file) or when neither is given and stdin is not a terminal
 * (`echo "select 1" | aishell query`); data waiting on stdin never turns `--file x` into "not both".
 */
export async function readInput(
  arg: string | undefined,
  file: string | undefined,
  what = 'SQL',
): Promise<string> {
  if (arg !== undefined && file !== undefined)
    throw new UsageError(`give the ${what} as an argument or with --file, not both`);
  if (file === '-' || arg === '-') return text(process.stdin);
  if (file !== undefined) return readTextFile(file);
  if (arg === undefined && !process.stdin.isTTY) {
    const piped = await text(process.stdin);
    if (piped.trim() !== '') return piped;
  }
  if (arg === undefined || arg.trim() === '')
    throw new UsageError(`no ${what} given`, {
      hint: `pass it as an argument, with --file <path>, or - for stdin`,
    });
  return arg;
}
