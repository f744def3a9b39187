import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';

/** scrypt cost parameters, stored in the vault file. */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. Memory used is 128 * N * r bytes. */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelisation. */
  readonly p: number;
}

/** One encrypted value as stored in the file (base64 fields). */
export interface SealedValue {
  readonly nonce: string;
  readonly ciphertext: string;
  readonly tag: string;
}

export const SALT_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const CHECK_BYTES = 32;
export const MAC_BYTES = 32;

const KEY_BYTES = 32;
const CONTEXT = 'aishell-vault/1';

/** scrypt with an explicit memory ceiling (Node's default 32 MiB is exactly 128 * 2^15 * 8 and refuses it). */
function scryptAsync(password: Buffer, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const maxmem = 2 * 128 * params.N * params.r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, { N: params.N, r: params.r, p: params.p, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function subkey(master: Buffer, salt: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, salt, `${CONTEXT} ${purpose}`, KEY_BYTES));
}

/**
 * The keys of one unlocked vault. The master key from scrypt is split with HKDF into an encryption key
 * (AES-256-GCM per value), a MAC key (HMAC-SHA256 over the whole file) and a password-check value;
 * the master key is zero-filled at once and the others by `destroy()`.
 */
export class VaultKeys {
  readonly #encryption: Buffer;
  readonly #mac: Buffer;
  /** HMAC of a fixed label under a key of its own: tells a wrong password from a damaged file. */
  readonly check: Buffer;
  #destroyed = false;

  private constructor(encryption: Buffer, mac: Buffer, check: Buffer) {
    this.#encryption = encryption;
    this.#mac = mac;
    this.check = check;
  }

  /** Run scrypt on the password and derive the working keys. */
  static async derive(password: string, salt: Buffer, params: ScryptParams): Promise<VaultKeys> {
    // NFC so that the same password typed on two systems (composed or decomposed accents) unlocks alike.
    const secret = Buffer.from(password.normalize('NFC'), 'utf8');
    let master: Buffer | undefined;
    try {
      master = await scryptAsync(secret, salt, params);
      const checkKey = subkey(master, salt, 'password check');
      const check = createHmac('sha256', checkKey).update(`${CONTEXT} password check`).digest();
      checkKey.fill(0);
      return new VaultKeys(subkey(master, salt, 'encryption'), subkey(master, salt, 'mac'), check);
    } finally {
      secret.fill(0);
      master?.fill(0);
    }
  }

  /** Whether `stored` (from the file) matches this password's check value, in constant time. */
  checks(stored: Buffer): boolean {
    return stored.length === this.check.length && timingSafeEqual(stored, this.check);
  }

  /** HMAC-SHA256 of the canonical file body. */
  mac(body: string): Buffer {
    this.#assertLive();
    return createHmac('sha256', this.#mac).update(`${CONTEXT} file\n`).update(body, 'utf8').digest();
  }

  /** Whether `stored` is the MAC of `body`, in constant time. */
  verifyMac(body: string, stored: Buffer): boolean {
    const expected = this.mac(body);
    return stored.length === expected.length && timingSafeEqual(stored, expected);
  }

  /** Encrypt one value under a fresh random nonce; the entry name is bound as associated data. */
  encrypt(name: string, value: string): SealedValue {
    this.#assertLive();
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#encryption, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(entryAad(name));
    const plain = Buffer.from(value, 'utf8');
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    plain.fill(0);
    return {
      nonce: nonce.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
  }

  /** Decrypt one value; throws if the GCM tag does not verify. */
  decrypt(name: string, sealed: SealedValue): string {
    this.#assertLive();
    const decipher = createDecipheriv('aes-256-gcm', this.#encryption, Buffer.from(sealed.nonce, 'base64'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(entryAad(name));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([
      decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
      decipher.final(),
    ]);
    const value = plain.toString('utf8');
    plain.fill(0);
    return value;
  }

  /** Zero-fill the keys; later use throws. Harmless twice. */
  destroy(): void {
    this.#destroyed = true;
    this.#encryption.fill(0);
    this.#mac.fill(0);
    this.check.fill(0);
  }

  #assertLive(): void {
    if (this.#destroyed) throw new Error('vault keys used after destroy()');
  }
}

function entryAad(name: string): Buffer {
  return Buffer.from(`${CONTEXT} entry\0${name}`, 'utf8');
}
