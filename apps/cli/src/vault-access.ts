import { text } from 'node:stream/consumers';
import {
  UsageError,
  type VaultAccessOptions,
  type VaultPasswordPurpose,
  VaultSecrets,
} from '@aishell/engine';
import { registerSecret } from './redact.js';

// How the CLI reaches the vault: the master password and secret values from hidden prompts on a
// terminal, from the environment or stdin in scripts. Used by the `aishell vault ...` commands and by
// every command that opens a saved connection (BaseCommand.secrets).

/** Whether a person is at the keyboard to answer a hidden prompt. */
function canPrompt(): boolean {
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
async function askNewSecret(message: string): Promise<string> {
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
 * The vault as saved connections use it: opened lazily (only when a connection needs a secret), with the
 * master password from AISHELL_VAULT_PASSWORD or a hidden prompt on a terminal. Close it when done.
 */
export function vaultSecrets(): VaultSecrets {
  return new VaultSecrets(vaultAccess());
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
