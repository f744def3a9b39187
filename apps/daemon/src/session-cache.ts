import type { Session } from '@aishell/engine';
import { DaemonClosedError } from './errors.js';

/** Opens a session for a connection string (`Session.open` in the daemon). */
export type OpenSession = (connection: string) => Promise<Session>;

interface Entry {
  readonly connection: string;
  readonly session: Promise<Session>;
  /** Set once the session opened. */
  opened?: Session;
  /** Requests using the session right now; an evicted session closes when this drops to 0. */
  inUse: number;
  evicted: boolean;
}

/** A session borrowed from the cache; `release()` it when the request is done (once). */
export interface SessionLease {
  readonly session: Session;
  release(): void;
}

/**
 * One open session per connection string, reused across requests, at most `maxSessions` cached:
 * the least recently used one is closed when another is needed (once its requests finish).
 */
export class SessionCache implements AsyncDisposable {
  readonly #open: OpenSession;
  readonly #maxSessions: number;
  // A Map iterates in insertion order; a hit is re-inserted, so the first key is the LRU one.
  readonly #entries = new Map<string, Entry>();
  readonly #closing = new Set<Promise<void>>();
  #closed = false;

  readonly #onClose: ((session: Session) => void) | undefined;

  constructor(open: OpenSession, options: { maxSessions: number; onClose?: (session: Session) => void }) {
    this.#open = open;
    this.#maxSessions = Math.max(1, options.maxSessions);
    this.#onClose = options.onClose;
  }

  /** The sessions open now, with the connection string each was opened for (for /metrics and /ready). */
  opened(): { connection: string; session: Session }[] {
    const out: { connection: string; session: Session }[] = [];
    for (const entry of this.#entries.values())
      if (entry.opened) out.push({ connection: entry.connection, session: entry.opened });
    return out;
  }

  /** Sessions cached now (evicted ones still finishing a request are not counted). */
  get size(): number {
    return this.#entries.size;
  }

  /** Borrow the session of `connection`, opening it on first use. A failed open is not cached. */
  async acquire(connection: string): Promise<SessionLease> {
    if (this.#closed) throw new DaemonClosedError();
    let entry = this.#entries.get(connection);
    if (entry) {
      this.#entries.delete(connection);
      this.#entries.set(connection, entry);
    } else {
      const created: Entry = { connection, session: this.#open(connection), inUse: 0, evicted: false };
      entry = created;
      this.#entries.set(connection, created);
      // Only a session that opened makes room: a refused or failed one never closes another's idle session.
      created.session.then(
        (session) => {
          created.opened = session;
          this.#evictOverflow();
        },
        () => {
          if (this.#entries.get(connection) === created) this.#entries.delete(connection);
        },
      );
    }
    entry.inUse += 1;
    let session: Session;
    try {
      session = await entry.session;
    } catch (error) {
      entry.inUse -= 1;
      throw error;
    }
    let released = false;
    const held = entry;
    return {
      session,
      release: () => {
        if (released) return;
        released = true;
        held.inUse -= 1;
        if (held.evicted && held.inUse === 0) this.#closeEntry(held);
      },
    };
  }

  #evictOverflow(): void {
    for (const [connection, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxSessions) break;
      this.#entries.delete(connection);
      entry.evicted = true;
      if (entry.inUse === 0) this.#closeEntry(entry);
    }
  }

  #closeEntry(entry: Entry): void {
    const closing = entry.session.then(
      (s) => {
        this.#onClose?.(s);
        return s.close();
      },
      () => undefined,
    );
    // A failure to close one idle session must not take the daemon down.
    const tracked = closing.catch(() => undefined).finally(() => this.#closing.delete(tracked));
    this.#closing.add(tracked);
  }

  /** Close every session (requests still running on them finish first, as the pool waits). Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const entry of this.#entries.values()) {
      entry.evicted = true;
      this.#closeEntry(entry);
    }
    this.#entries.clear();
    await Promise.all([...this.#closing]);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
