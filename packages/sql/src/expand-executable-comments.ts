import { executableCommentMarker, tokenize } from './sql-lexer.js';

/**
 * `text` (MySQL) with every executable comment opened: `/*!`, `/*!50700`, `/*M!`, `/*M!100100` become
 * spaces of the same length and the closing `*\/` a space and a line break, so every offset into `text`
 * still points at the same character, and the content is left as the SQL the server reads. Repeated
 * until none is left, for a comment that opens inside another one: at most `MAX_EXECUTABLE_COMMENT_DEPTH`
 * deep (each level costs a pass over the text); undefined beyond.
 * @example expandExecutableComments("SELECT 1 /*!INTO OUTFILE '/tmp/x' *\/") // "SELECT 1    INTO OUTFILE '/tmp/x'  \n"
 */
export function expandExecutableComments(text: string): string | undefined {
  let current = text;
  for (let depth = 0; depth <= MAX_EXECUTABLE_COMMENT_DEPTH; depth++) {
    const comments = tokenize(current, 'mysql').filter((t) => t.type === 'exec-comment');
    if (comments.length === 0) return current;
    let out = '';
    let at = 0;
    for (const c of comments) {
      const open = executableCommentMarker(current, c.start);
      const closeStart = c.unterminated ? c.end : c.end - 2;
      out += current.slice(at, c.start) + ' '.repeat(open) + current.slice(c.start + open, closeStart);
      // ' \n' for `*/`: a `#` or `-- ` comment of the content must not run on into what follows
      out += c.unterminated ? '' : ' \n';
      at = c.end;
    }
    current = out + current.slice(at);
  }
  return undefined;
}

/** How deep executable comments may nest inside one another. */
export const MAX_EXECUTABLE_COMMENT_DEPTH = 16;
