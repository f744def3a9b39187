import { text } from 'node:stream/consumers';
import { UsageError, type VaultAccessOptions, type VaultPasswordPurpose, vaultStatus } from '@aishell/engine';
import { BaseCommand } from '../../base-command.js';
import { registerSecret } from '../../redact.js';

// Helpers shared by the `aishell vault ...` commands (this file is also the `aishell vault` command).

/** Whether a person is at the keyboard to answer a hidden prompt. */
export function canPrompt(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/** A hidden prompt on stderr (so stdout stays clean for --json); nothing is echoed. */
async function hidden(message: string): Promise<string> {
  const { default: password } = await import('@inquirer/password');
  const answer = await password({ message }, { output: process.stderr });
  registerSecret(answer);
  return answer;
}

/** Ask for a new password twice; refuse an empty one or two that differ. */
export async function askNewSecret(message: string): Promise<string> {
  const first = await hidden(message);
  if (first.length === 0) throw new UsageError('an empty value is not allowed');
  if ((await hidden('Once more, to confirm')) !== first)
    throw new UsageError('the two entries did not match');
  return first;
}

/**
 * How the engine may ask for the master password: a hidden prompt on a terminal (twice for a new one),
 * nothing in a script (AISHELL_VAULT_PASSWORD is then the only way, else exit 6).
 */
export function vaultAccess(): VaultAccessOptions {
  const env = process.env;
  registerSecret(env.AISHELL_VAULT_PASSWORD);
  registerSecret(env.AISHELL_VAULT_NEW_PASSWORD);
  if (!canPrompt()) return { env };
  return {
    env,
    promptPassword: (purpose: VaultPasswordPurpose) =>
      purpose === 'unlock' ? hidden('Vault master password') : askNewSecret('New vault master password'),
  };
}

/**
 * A secret value: a hidden prompt on a terminal, else all of stdin without its final newline.
 * Never a command-line argument: argv is visible to every user in the process list and lands in history.
 */
export async function readSecretValue(what: string): Promise<string> {
  let value: string;
  if (process.stdin.isTTY === true) {
    value = await hidden(`Value for ${what}`);
  } else {
    value = (await text(process.stdin)).replace(/\r?\n$/, '');
    registerSecret(value);
  }
  if (value.length === 0) {
    throw new UsageError(`no value given for ${what}`, {
      hint: 'type it at the prompt, or pipe it on stdin: printf %s "$SECRET" | aishell vault add <name>',
    });
  }
  return value;
}

export default class VaultStatusCommand extends BaseCommand {
  static override summary = 'Show where the vault is and which entries it holds (no password needed).';
  static override description =
    'The vault keeps secrets (saved connection passwords, API keys) encrypted with AES-256-GCM under a key ' +
    'derived from a master password with scrypt, in $XDG_DATA_HOME/aishell/vault.json (mode 0600). Entry names ' +
    'are visible without the password; values are not. See docs/security.md.';
  static override examples = [
    { description: 'Where is it, what is in it?', command: '<%= config.bin %> vault' },
    { description: 'Create it', command: '<%= config.bin %> vault init' },
    { description: 'As JSON', command: '<%= config.bin %> vault --json' },
  ];

  async run(): Promise<void> {
    const { flags } = await this.parse(VaultStatusCommand);
    const status = await vaultStatus(vaultAccess());
    if (flags.json) return this.printJson(status);
    if (!status.exists) {
      await this.out.write(
        `No vault yet (it would be ${status.path}). Create one with: aishell vault init\n`,
      );
      return;
    }
    const names =
      status.entries.length === 0 ? '  (no entries)' : status.entries.map((n) => `  ${n}`).join('\n');
    await this.out.write(`Vault ${status.path}, ${status.entries.length} entries:\n${names}\n`);
  }
}
