import { type AishellPaths, UsageError } from '@aishell/engine';

// Bridges to the vault for saved-connection passwords. Replaced by the engine's vault access once
// @aishell/vault lands; until then a saved password cannot be stored or read.
export async function secretStore(_paths: AishellPaths): Promise<(entry: string, value: string) => Promise<void>> {
  throw new UsageError('the vault is not available yet: --save-password cannot be used');
}

export async function secretResolver(_paths: AishellPaths): Promise<(entry: string) => Promise<string>> {
  return async (entry) => {
    throw new UsageError(`connection needs vault entry "${entry}" but the vault is not available yet`);
  };
}

export async function secretRemover(_paths: AishellPaths): Promise<(entry: string) => Promise<void>> {
  return async () => {};
}
