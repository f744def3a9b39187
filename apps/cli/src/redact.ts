/**
 * Defence in depth: before anything reaches the terminal, remove passwords that appear in URLs
 * (`scheme://user:secret@host`) and any secret the command registered. The libraries already keep
 * secrets out of their messages; this catches whatever a driver or a person's own input might echo.
 */
const secrets = new Set<string>();

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 3) secrets.add(value);
}

/** Whitespace as `\s` knows it in ASCII, and the delimiters that end a URL's userinfo (RFC 3986). */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff;
const endsUser = (c: number): boolean => c === 47 || c === 63 || c === 35 || c === 64 || isSpace(c);

/**
 * Where the passwords of `scheme://user:password@` URLs sit in `text`: [start, end) offsets.
 * A scan rather than a regular expression: every such expression tried here (a scheme, then
 * `user:`, then a password up to `@`) backtracks quadratically on long runs of letters or colons,
 * and this runs on every line aishell prints. Each character is looked at a bounded number of times.
 */
function urlPasswords(text: string): [number, number][] {
  const found: [number, number][] = [];
  let from = 0;
  for (;;) {
    const sep = text.indexOf('://', from);
    if (sep === -1) return found;
    const userStart = sep + 3;
    from = userStart;
    // The scheme: a letter, then letters, digits, + . - right before `://`.
    const before = text.charCodeAt(sep - 1);
    if (!(sep > 0 && isSchemeChar(before))) continue;
    // user, up to ':' (none of / ? # @ or whitespace before it)
    let i = userStart;
    while (i < text.length && text.charCodeAt(i) !== 58 && !endsUser(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 58) {
      from = Math.max(from, i);
      continue;
    }
    const passStart = i + 1;
    // password, up to '@' (not crossing '/' or whitespace)
    let j = passStart;
    for (let c = text.charCodeAt(j); j < text.length && c !== 64 && c !== 47 && !isSpace(c); ) {
      j++;
      c = text.charCodeAt(j);
    }
    if (text.charCodeAt(j) === 64 && j > passStart) found.push([passStart, j]);
    from = Math.max(from, j);
  }
}

function isSchemeChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45
  );
}

/** Whether `text` holds a URL with a password (`scheme://user:password@`). */
export function hasUrlPassword(text: string): boolean {
  return urlPasswords(text).length > 0;
}

export function redact(text: string): string {
  const spans = urlPasswords(text);
  let out = text;
  if (spans.length > 0) {
    const parts: string[] = [];
    let last = 0;
    for (const [start, end] of spans) {
      parts.push(text.slice(last, start), '****');
      last = end;
    }
    parts.push(text.slice(last));
    out = parts.join('');
  }
  for (const secret of secrets) out = out.split(secret).join('****');
  return out;
}

/** Register the passwords of URLs found in argv, so that no echo of them survives. */
export function registerArgvSecrets(argv: readonly string[]): void {
  for (const arg of argv) {
    for (const [start, end] of urlPasswords(arg)) {
      const raw = arg.slice(start, end);
      registerSecret(raw);
      try {
        registerSecret(decodeURIComponent(raw));
      } catch {
        // not percent-encoded; the raw form is registered
      }
    }
  }
}
