// PRODUCT.md's exit codes for `aishell migrate lint`: 0 clean, 8 warnings, 9 errors.
import type { LintResult } from './types.js';

/** The process exit code of a lint: 0 (no finding), 8 (warnings only), 9 (an error). */
export function lintExitCode(result: Pick<LintResult, 'findings'>): 0 | 8 | 9 {
  let code: 0 | 8 | 9 = 0;
  for (const f of result.findings) {
    if (f.level === 'error') return 9;
    code = 8;
  }
  return code;
}
