/**
 * Defence in depth: before anything reaches the terminal, remove passwords that appear in URLs
 * (`scheme://user:secret@host`) and any secret the command registered. The libraries already keep
 * secrets out of their messages; this catches whatever a driver or a person's own input might echo.
 */
const secrets = new Set<string>();

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 3) secrets.add(value);
}

const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@\s/]+)@/gi;

export function redact(text: string): string {
  let out = text.replace(URL_PASSWORD, '$1****@');
  for (const secret of secrets) out = out.split(secret).join('****');
  return out;
}

/** Register the passwords of URLs found in argv, so that no echo of them survives. */
export function registerArgvSecrets(argv: readonly string[]): void {
  for (const arg of argv) {
    for (const match of arg.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:([^@\s/]+)@/gi)) {
      const raw = match[1];
      if (!raw) continue;
      registerSecret(raw);
      try {
        registerSecret(decodeURIComponent(raw));
      } catch {
        // not percent-encoded; the raw form is registered
      }
    }
  }
}
