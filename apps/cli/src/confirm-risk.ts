import type { Risk } from '@aishell/engine';

/**
 * On a terminal, ask before a high or critical statement runs, showing why it is risky.
 * Returns undefined where nobody can be asked (no TTY): the engine then refuses (exit 5).
 */
export function riskPrompt(): ((risk: Risk, reasons: readonly string[]) => Promise<boolean>) | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  return async (risk, reasons) => {
    process.stderr.write(`This statement is ${risk} risk:\n${reasons.map((r) => `  - ${r}`).join('\n')}\n`);
    const { default: confirm } = await import('@inquirer/confirm');
    return confirm({ message: 'Run it?', default: false }, { output: process.stderr });
  };
}
