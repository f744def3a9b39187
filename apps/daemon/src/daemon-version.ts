import { readFileSync } from 'node:fs';

/** The version of aishelld, from its package.json (one level above both src/ and dist/). */
export function daemonVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
