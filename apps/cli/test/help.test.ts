import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from './run-cli.js';

const manifest = JSON.parse(
  readFileSync(path.resolve(path.dirname(BIN), '../oclif.manifest.json'), 'utf8'),
) as {
  commands: Record<string, { examples?: unknown[] }>;
};
const commands = Object.keys(manifest.commands).sort();

describe('--help', () => {
  it('covers the first-wave commands of PRODUCT.md', () => {
    expect(commands).toEqual(expect.arrayContaining(['query', 'connect', 'connections', 'demo', 'shell']));
  });

  // `aishell help --help` is oclif's root help (the word help is the help command itself).
  it.each(commands.filter((id) => id !== 'help'))(
    'documents "%s" with usage and examples, exiting 0',
    async (id) => {
      const { code, stdout } = await runCli([...id.split(':'), '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/USAGE/);
      expect(stdout).toMatch(/EXAMPLES/);
      expect(manifest.commands[id]?.examples?.length ?? 0).toBeGreaterThan(0);
    },
  );

  it('aishell help and aishell help --help list the commands', async () => {
    for (const argv of [['help'], ['help', '--help']]) {
      const { code, stdout } = await runCli(argv);
      expect(code).toBe(0);
      expect(stdout).toMatch(/USAGE/);
      expect(stdout).toMatch(/\bquery\b/);
      expect(stdout).toMatch(/\bvault\b/);
    }
    expect(manifest.commands.help?.examples?.length ?? 0).toBeGreaterThan(0);
  });

  it('aishell help <command> prints what <command> --help prints', async () => {
    const viaHelp = await runCli(['help', 'vault', 'add']);
    const viaFlag = await runCli(['vault', 'add', '--help']);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toMatch(/vault add NAME/);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
  });

  it('aishell help on an unknown command exits 2 with one line', async () => {
    const { code, stderr } = await runCli(['help', 'no-such-command']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/no-such-command not found/);
  });

  it('prints the version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^@aishell\/cli\/\d+\.\d+\.\d+/);
  });

  it('rejects an unknown flag with exit 2 and a one-line message', async () => {
    const { code, stderr, stdout } = await runCli(['query', 'select 1', '--no-such-flag']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Nonexistent flag: --no-such-flag/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
