import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN } from './run-cli.js';

type CommandClass = { args?: Record<string, { ignoreStdin?: boolean }> };

describe('positional arguments', () => {
  it('never take their value from piped stdin (every one is ignoreStdin)', async () => {
    const bundle = pathToFileURL(path.resolve(path.dirname(BIN), '../dist/aishell.js')).href;
    const { commands } = (await import(bundle)) as { commands: Record<string, CommandClass> };
    const withArgs = Object.entries(commands).filter(([, c]) => Object.keys(c.args ?? {}).length > 0);
    expect(withArgs.length).toBeGreaterThan(5);
    for (const [id, command] of withArgs) {
      for (const [name, arg] of Object.entries(command.args ?? {}))
        expect(arg.ignoreStdin, `${id} ${name}`).toBe(true);
    }
  });
});
