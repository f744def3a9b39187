import type { FactCollector } from './risk.js';

/**
 * The statements prepared so far in one `analyze` call, by name, so that a later `EXECUTE name` gets
 * the facts of what it runs. A name prepared from SQL aishell cannot see (a variable, a text that does
 * not parse) is forgotten: its `EXECUTE` is rated as one of a statement prepared elsewhere.
 */
export class PreparedStatements {
  readonly #byName: Map<string, FactCollector>;
  readonly #caseInsensitive: boolean;

  /** `caseInsensitive`: MySQL's statement names ignore case; PostgreSQL's are identifiers already folded. */
  constructor(caseInsensitive: boolean, entries: Iterable<[string, FactCollector]> = []) {
    this.#caseInsensitive = caseInsensitive;
    this.#byName = new Map(entries);
  }

  #key(name: string): string {
    return this.#caseInsensitive ? name.toLowerCase() : name;
  }

  /** Records what `name` runs, or forgets it when that is not known. */
  prepare(name: string, facts: FactCollector | undefined): void {
    if (facts === undefined) this.#byName.delete(this.#key(name));
    else this.#byName.set(this.#key(name), facts);
  }

  /** Forgets `name`, or every name when it is undefined (`DEALLOCATE ALL`, `DISCARD ALL`). */
  deallocate(name: string | undefined): void {
    if (name === undefined) this.#byName.clear();
    else this.#byName.delete(this.#key(name));
  }

  get(name: string): FactCollector | undefined {
    return this.#byName.get(this.#key(name));
  }

  /** A copy to analyze dynamic SQL with: what it prepares or deallocates must not change this one. */
  fork(): PreparedStatements {
    return new PreparedStatements(this.#caseInsensitive, this.#byName);
  }

  /**
   * Forgets every name whose entry `fork` changed or dropped: dynamic SQL that ran may have re-prepared
   * it (or failed to). Names only `fork` knows stay unknown here.
   */
  forgetChangedIn(fork: PreparedStatements): void {
    for (const [key, facts] of this.#byName) if (fork.#byName.get(key) !== facts) this.#byName.delete(key);
  }
}
