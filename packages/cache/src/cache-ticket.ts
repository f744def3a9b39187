/**
 * What `cache.begin(tags)` read before the query ran: the namespace epoch and each tag's version.
 * Hand it to `cache.set(..., { ticket })`, which stores the value only if none of them moved since.
 * Opaque: create tickets with `Cache.begin`, never by hand.
 */
export class CacheTicket {
  /** The namespace whose versions were read. */
  readonly namespace: string;
  /** The namespace epoch (bumped by `clear()`). */
  readonly epoch: string;
  readonly #versions: ReadonlyMap<string, string>;

  /** @internal Use `Cache.begin`. */
  constructor(namespace: string, epoch: string, versions: ReadonlyMap<string, string>) {
    this.namespace = namespace;
    this.epoch = epoch;
    this.#versions = versions;
    Object.freeze(this);
  }

  /** The tags this ticket covers. */
  get tags(): readonly string[] {
    return [...this.#versions.keys()];
  }

  /** The version of `tag` read by `begin`, or undefined when the ticket does not cover it. */
  versionOf(tag: string): string | undefined {
    return this.#versions.get(tag);
  }
}
