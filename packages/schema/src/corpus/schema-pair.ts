import type { IntrospectOptions } from '../introspect-options.js';
import type { DiffOptions, HazardCode } from '../schema-plan.js';

/**
 * One case of the corpus: two schemas as SQL, and what the plan from one to the other must be. The
 * runner loads both on real scratch databases, plans, asserts, applies the plan to `from` and checks
 * that it converges, then plans the way back and checks that too.
 */
export interface SchemaPair {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  /** Rows loaded into `from` before planning, so that the plan meets data. */
  readonly data?: string;
  /** Every hazard code the plan carries, no more, no less. */
  readonly hazards: readonly HazardCode[];
  /** Patterns the plan's statements match, in this order (other statements may come between). */
  readonly sql?: readonly RegExp[];
  /** The plan has no statement at all. */
  readonly empty?: boolean;
  /** Every statement of the plan is online (or, with false, at least one is not). */
  readonly online?: boolean;
  /** The kinds `unsupported` lists; such a plan cannot converge, and the way back is not checked. */
  readonly unsupported?: readonly string[];
  readonly options?: DiffOptions;
  readonly introspect?: IntrospectOptions;
  /** The engines to run on. @default every one of the dialect */
  readonly engines?: readonly string[];
  /** Whether the way back (to -> from) is planned and checked too. @default true */
  readonly reverse?: boolean;
  /** Statements run once per server before the pair (roles are cluster-wide). */
  readonly setup?: string;
}
