import { createHash } from 'node:crypto';
import { VaultTamperedError, VaultUnsupportedVersionError } from './errors.js';
import {
  CHECK_BYTES,
  MAC_BYTES,
  NONCE_BYTES,
  SALT_BYTES,
  type ScryptParams,
  type SealedValue,
  TAG_BYTES,
} from './vault-keys.js';

/**
 * The on-disk format, version 1 (see docs/security.md):
 *
 * ```json
 * { "format": "aishell-vault", "version": 1,
 *   "kdf": { "name": "scrypt", "N": 32768, "r": 8, "p": 1, "salt": "<base64>" },
 *   "check": "<base64>",
 *   "entries": [ { "name": "prod", "nonce": "<base64>", "ciphertext": "<base64>", "tag": "<base64>" } ],
 *   "mac": "<base64>", "sha256": "<hex>" }
 * ```
 *
 * The file is written in exactly one canonical form and read back only if re-serialising it gives the
 * same bytes, so a changed byte anywhere (even whitespace) is caught. `sha256` (unkeyed) catches damage
 * before the password is tried; `mac` (HMAC under a key derived from the password) catches deliberate
 * changes; `check` tells a wrong password from a damaged file.
 */
export const FORMAT_NAME = 'aishell-vault';
export const FORMAT_VERSION = 1;

/** An entry name: printable, no spaces, usable as `vault:<name>` in a URL's password position. */
export const ENTRY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@:/-]{0,127}$/;

/** Bounds on scrypt parameters read from a file: a damaged file must not make us allocate gigabytes. */
export const SCRYPT_LIMITS = {
  minN: 2 ** 10,
  maxN: 2 ** 20,
  maxR: 32,
  maxP: 16,
  maxMemoryBytes: 1024 * 1024 * 1024,
} as const;

export interface EntryRecord extends SealedValue {
  readonly name: string;
}

/** The authenticated content of a vault file (everything but `mac` and `sha256`). */
export interface VaultBody {
  readonly kdf: ScryptParams & { readonly salt: string };
  readonly check: string;
  /** Sorted by name, names unique. */
  readonly entries: readonly EntryRecord[];
}

/** The canonical text the MAC covers. */
export function macInput(body: VaultBody): string {
  return JSON.stringify(canonicalBody(body));
}

/** The whole file as written: canonical, pretty-printed, with its MAC and checksum. */
export function serializeVault(body: VaultBody, mac: Buffer): string {
  const sealed = { ...canonicalBody(body), mac: mac.toString('base64') };
  const sha256 = createHash('sha256').update(JSON.stringify(sealed)).digest('hex');
  return `${JSON.stringify({ ...sealed, sha256 }, null, 2)}\n`;
}

/** Parse and structurally verify a vault file (no password needed). Throws `VaultTamperedError`. */
export function parseVault(path: string, text: string): { readonly body: VaultBody; readonly mac: Buffer } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new VaultTamperedError(path, 'not valid JSON', error);
  }
  const fail = (detail: string): never => {
    throw new VaultTamperedError(path, detail);
  };
  if (!isRecord(raw) || raw.format !== FORMAT_NAME) return fail('not an aishell vault');
  if (raw.version !== FORMAT_VERSION) {
    if (Number.isInteger(raw.version) && (raw.version as number) > FORMAT_VERSION) {
      throw new VaultUnsupportedVersionError(path, raw.version);
    }
    return fail('version');
  }
  exactKeys(raw, ['format', 'version', 'kdf', 'check', 'entries', 'mac', 'sha256']) || fail('structure');

  const kdf = raw.kdf;
  if (!isRecord(kdf) || !exactKeys(kdf, ['name', 'N', 'r', 'p', 'salt']) || kdf.name !== 'scrypt') {
    return fail('key derivation header');
  }
  const params = { N: kdf.N, r: kdf.r, p: kdf.p };
  if (!validScrypt(params)) return fail('key derivation parameters');
  base64Of(kdf.salt, SALT_BYTES) || fail('salt');
  base64Of(raw.check, CHECK_BYTES) || fail('password check');

  if (!Array.isArray(raw.entries)) return fail('entries');
  const entries: EntryRecord[] = [];
  for (const entry of raw.entries as unknown[]) {
    if (!isRecord(entry) || !exactKeys(entry, ['name', 'nonce', 'ciphertext', 'tag'])) return fail('entries');
    const { name, nonce, ciphertext, tag } = entry;
    if (typeof name !== 'string' || !ENTRY_NAME_PATTERN.test(name)) return fail('entry name');
    const previous = entries.at(-1);
    if (previous && !(previous.name < name)) return fail('entry order');
    base64Of(nonce, NONCE_BYTES) || fail(`nonce of entry "${name}"`);
    base64Of(ciphertext) || fail(`ciphertext of entry "${name}"`);
    base64Of(tag, TAG_BYTES) || fail(`tag of entry "${name}"`);
    entries.push({ name, nonce: nonce as string, ciphertext: ciphertext as string, tag: tag as string });
  }
  const mac = base64Of(raw.mac, MAC_BYTES) ?? fail('mac');
  if (typeof raw.sha256 !== 'string') return fail('checksum');

  const body: VaultBody = {
    kdf: { N: params.N, r: params.r, p: params.p, salt: kdf.salt as string },
    check: raw.check as string,
    entries,
  };
  // Re-serialising must reproduce the file byte for byte: whitespace, key order and number spellings
  // are part of what is checked. The checksum then covers every value.
  const sealed = JSON.stringify({ ...canonicalBody(body), mac: raw.mac });
  if (createHash('sha256').update(sealed).digest('hex') !== raw.sha256) return fail('checksum');
  if (serializeVault(body, mac) !== text) return fail('not in canonical form');
  return { body, mac };
}

function canonicalBody(body: VaultBody) {
  return {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    kdf: { name: 'scrypt', N: body.kdf.N, r: body.kdf.r, p: body.kdf.p, salt: body.kdf.salt },
    check: body.check,
    entries: body.entries.map((e) => ({
      name: e.name,
      nonce: e.nonce,
      ciphertext: e.ciphertext,
      tag: e.tag,
    })),
  };
}

/** Whether scrypt parameters are within the bounds this code accepts. */
export function validScrypt(params: {
  readonly N: unknown;
  readonly r: unknown;
  readonly p: unknown;
}): params is ScryptParams {
  const { N, r, p } = params;
  if (!Number.isSafeInteger(N) || !Number.isSafeInteger(r) || !Number.isSafeInteger(p)) return false;
  const [n, rr, pp] = [N as number, r as number, p as number];
  return (
    n >= SCRYPT_LIMITS.minN &&
    n <= SCRYPT_LIMITS.maxN &&
    (n & (n - 1)) === 0 &&
    rr >= 1 &&
    rr <= SCRYPT_LIMITS.maxR &&
    pp >= 1 &&
    pp <= SCRYPT_LIMITS.maxP &&
    128 * n * rr <= SCRYPT_LIMITS.maxMemoryBytes
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function exactKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const actual = Object.keys(value);
  return actual.length === keys.length && keys.every((k, i) => actual[i] === k);
}

/** Decode strict (canonical) base64, optionally of an exact length; undefined if it is not. */
function base64Of(value: unknown, bytes?: number): Buffer | undefined {
  if (typeof value !== 'string') return undefined;
  const decoded = Buffer.from(value, 'base64');
  if (decoded.toString('base64') !== value) return undefined;
  if (bytes !== undefined && decoded.length !== bytes) return undefined;
  return decoded;
}
